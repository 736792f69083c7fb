/**
 * The environment the demo and the end-to-end tests run Housecall and the sandbox with.
 * Sandbox-only values: a known client secret and the opt-in for the sandbox's plain http.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
export const SANDBOX_ORIGIN = process.env.SANDBOX_ORIGIN ?? 'http://127.0.0.1:4010';
export const HOUSECALL_URL = process.env.HOUSECALL_URL ?? 'http://localhost:3000';
export const SANDBOX_SECRET = process.env.HOUSECALL_SANDBOX_CLIENT_SECRET ?? 'sandbox-only-secret-not-for-production';

/**
 * The e2e server's store key, known to the test so that a command run beside the server (the
 * support script, e2e/wipe.spec.ts) can read the same launches. Test-only: a fixed key is worth
 * nothing anywhere real, and production refuses to start without its own.
 */
export const E2E_STORE_KEY = Buffer.alloc(32, 7).toString('base64');

/**
 * How Housecall authenticates to the sandbox: `private_key_jwt` by default here (the sandbox
 * fetches Housecall's /.well-known/jwks.json), `client_secret_basic` when asked.
 */
export const SANDBOX_CLIENT_AUTH = process.env.HOUSECALL_SANDBOX_CLIENT_AUTH ?? 'private_key_jwt';

/**
 * Housecall's ES384 key for the sandbox client, made once per checkout in `.data/` and read by
 * every process (the servers, the test runner and scripts beside them) so they all sign with the
 * key Housecall publishes. Development only: worthless anywhere real.
 */
export function sandboxClientKey(file = '.data/sandbox-client-key.pem', envName = 'HOUSECALL_SANDBOX_PRIVATE_KEY'): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    fs.writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return fs.readFileSync(file, 'utf8');
}

/** Housecall's ES384 key for the sandbox's backend client (`housecall-backend`), made like sandboxClientKey's. */
export function sandboxBackendKey(): string {
  return process.env.HOUSECALL_SANDBOX_BACKEND_KEY ?? sandboxClientKey('.data/sandbox-backend-key.pem', 'HOUSECALL_SANDBOX_BACKEND_KEY');
}

export function localEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SANDBOX_ORIGIN,
    HOUSECALL_URL,
    HOUSECALL_SANDBOX_CLIENT_SECRET: SANDBOX_SECRET,
    HOUSECALL_SANDBOX_CLIENT_AUTH: SANDBOX_CLIENT_AUTH,
    ...(SANDBOX_CLIENT_AUTH === 'private_key_jwt' ? { HOUSECALL_SANDBOX_PRIVATE_KEY: sandboxClientKey() } : {}),
    HOUSECALL_SANDBOX_BACKEND_KEY: sandboxBackendKey(),
    HOUSECALL_ALLOW_INSECURE_ISSUERS: '1',
    // The sandbox is the staff console's identity provider too (client housecall-staff).
    HOUSECALL_STAFF_ISSUER: `${SANDBOX_ORIGIN}/oidc`,
    HOUSECALL_STAFF_CLIENT_SECRET: process.env.HOUSECALL_STAFF_CLIENT_SECRET ?? 'sandbox-staff-secret-not-for-production',
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
