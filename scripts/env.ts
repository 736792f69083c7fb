/**
 * The environment the demo and the end-to-end tests run Housecall and the sandbox with.
 * Sandbox-only values: a known client secret and the opt-in for the sandbox's plain http.
 */
export const SANDBOX_ORIGIN = process.env.SANDBOX_ORIGIN ?? 'http://127.0.0.1:4010';
export const HOUSECALL_URL = process.env.HOUSECALL_URL ?? 'http://localhost:3000';
export const SANDBOX_SECRET = process.env.HOUSECALL_SANDBOX_CLIENT_SECRET ?? 'sandbox-only-secret-not-for-production';

/**
 * The e2e server's store key, known to the test so that a command run beside the server (the
 * support script, e2e/wipe.spec.ts) can read the same launches. Test-only: a fixed key is worth
 * nothing anywhere real, and production refuses to start without its own.
 */
export const E2E_STORE_KEY = Buffer.alloc(32, 7).toString('base64');

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

/** The e2e run's Housecall database. */
export const E2E_DB = '.data/e2e.sqlite';

/** Where the e2e run's Housecall server writes its log. */
export const SERVER_LOG = '.data/e2e-server.log';
