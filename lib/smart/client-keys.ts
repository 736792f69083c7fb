import 'server-only';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, importPKCS8, type JWK } from 'jose';
import type { IssuerConfig, SmartConfig } from './config';

/**
 * Keys for `private_key_jwt` (SMART Backend/confidential asymmetric clients, RS384 or ES384).
 * Each issuer names the environment variable holding its PKCS#8 PEM private key; the public
 * halves are served at /.well-known/jwks.json so an EHR can be registered with that URL.
 */
type AsymmetricAuth = Extract<IssuerConfig['clientAuth'], { method: 'private_key_jwt' }>;

function pemFrom(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (!raw) throw new Error(`${name} is not set (private key for private_key_jwt)`);
  return raw.includes('-----BEGIN') ? raw.replace(/\\n/g, '\n') : Buffer.from(raw, 'base64').toString('utf8');
}

const privateKeys = new Map<string, Promise<CryptoKey>>();

export function privateKeyFor(auth: AsymmetricAuth, env: NodeJS.ProcessEnv = process.env): Promise<CryptoKey> {
  const cacheKey = `${auth.keyEnv}:${auth.alg}`;
  let key = privateKeys.get(cacheKey);
  if (!key) {
    key = importPKCS8(pemFrom(env, auth.keyEnv), auth.alg, { extractable: false }) as Promise<CryptoKey>;
    privateKeys.set(cacheKey, key);
  }
  return key;
}

/** Public JWKs of every enabled issuer's signing key whose variable is set, with `kid` and `alg`. */
export async function publicJwks(config: SmartConfig, env: NodeJS.ProcessEnv = process.env): Promise<{ keys: JWK[] }> {
  const keys: JWK[] = [];
  const seen = new Set<string>();
  for (const issuer of config.issuers) {
    if (!issuer.enabled) continue;
    // The launch client's key and the backend client's (SMART Backend Services), each by its own kid.
    const candidates = [issuer.clientAuth, ...(issuer.backend ? [{ method: 'private_key_jwt' as const, ...issuer.backend }] : [])];
    for (const auth of candidates) {
      if (auth.method !== 'private_key_jwt' || !env[auth.keyEnv] || seen.has(auth.kid)) continue;
      seen.add(auth.kid);
      const pub: KeyObject = createPublicKey(pemFrom(env, auth.keyEnv));
      const jwk = await exportJWK(pub);
      keys.push({ ...jwk, kid: auth.kid, alg: auth.alg, use: 'sig' });
    }
  }
  return { keys };
}
