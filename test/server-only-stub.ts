// Vitest runs server modules outside Next.js; 'server-only' is a no-op there.
export {};
