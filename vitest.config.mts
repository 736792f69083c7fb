import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      'server-only': path.resolve(import.meta.dirname, 'test/server-only-stub.ts'),
    },
  },
  test: {
    include: ['{lib,sandbox,fixtures,app,components,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20_000,
    // Suites that start the sandbox load its FHIR definitions first (about 1 s alone, far longer
    // when both cores are busy): a generous hook limit, so a slow start is not a failure.
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
