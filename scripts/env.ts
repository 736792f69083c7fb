/**
 * The environment the demo and the end-to-end tests run Housecall and the sandbox with.
 * Sandbox-only values: a known client secret and the opt-in for the sandbox's plain http.
 */
export const SANDBOX_ORIGIN = process.env.SANDBOX_ORIGIN ?? 'http://127.0.0.1:4010';
export const HOUSECALL_URL = process.env.HOUSECALL_URL ?? 'http://localhost:3000';
export const SANDBOX_SECRET = process.env.HOUSECALL_SANDBOX_CLIENT_SECRET ?? 'sandbox-only-secret-not-for-production';

export function localEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SANDBOX_ORIGIN,
    HOUSECALL_URL,
    HOUSECALL_SANDBOX_CLIENT_SECRET: SANDBOX_SECRET,
    HOUSECALL_ALLOW_INSECURE_ISSUERS: '1',
    HOUSECALL_ENV: 'development',
    ...overrides,
  };
}

export function portOf(url: string): string {
  const u = new URL(url);
  return u.port || (u.protocol === 'https:' ? '443' : '80');
}

/** Where the e2e run's Housecall server writes its log. */
export const SERVER_LOG = '.data/e2e-server.log';
