import 'server-only';
import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { z } from 'zod';
import { serverEnv } from '../env';
import { processSingleton } from '../process-singleton';
import { logger } from '../telemetry';
import { insecureAllowed, type IssuerConfig } from './config';
import type { SmartConfiguration } from './discovery';

/**
 * id_token signature keys and verification (OpenID Connect Core §3.1.3.7, §10.1.1; SMART App
 * Launch 2.x §2.0.9 "openid fhirUser"). The JWKS comes from the SMART configuration's `jwks_uri`,
 * or, when it names none, from OIDC discovery at `{issuer}/.well-known/openid-configuration`.
 * Each issuer's key set is cached across launches for as long as its `Cache-Control: max-age`
 * says (five minutes without one, a day at most) and fetched again before that only for a
 * token signed with a `kid` the cached set does not hold: a key rotation is picked up at once,
 * and a stream of launches costs one download.
 */
const DEFAULT_MAX_AGE_MS = 5 * 60_000;
const LONGEST_MAX_AGE_MS = 24 * 60 * 60_000;
/** Each fetch of the OpenID configuration or the key set gives up after this (refresh.ts sizes its lease on it). */
export const ID_TOKEN_FETCH_TIMEOUT_MS = 5_000;

interface CachedKeys {
  uri: string;
  jwks: JSONWebKeySet;
  expiresAt: number;
}

const keyCache = processSingleton('id-token-jwks', () => new Map<string, CachedKeys>());
const oidcCache = processSingleton('oidc-discovery', () => new Map<string, { at: number; jwksUri: string }>());

const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
const openidConfiguration = z.object({ issuer: z.string().optional(), jwks_uri: z.string() });

/** Why an id_token was not accepted; `code` is stable for logs and tests. */
export class IdTokenError extends Error {
  constructor(readonly code: 'jwks_unavailable' | 'signature_invalid' | 'claims_invalid' | 'subject_changed', options?: { cause?: unknown }) {
    super(code, options);
    this.name = 'IdTokenError';
  }
}

export interface IdTokenDeps {
  fetchImpl?: typeof fetch;
  now?: () => number;
}

function usable(url: string, issuer: IssuerConfig): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && insecureAllowed(issuer));
  } catch {
    return false;
  }
}

async function getJson(url: string, issuer: IssuerConfig, fetchImpl: typeof fetch): Promise<{ body: unknown; cacheControl: string | null }> {
  if (!usable(url, issuer)) throw new IdTokenError('jwks_unavailable');
  try {
    const res = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(ID_TOKEN_FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new Error(`status ${res.status}`);
    return { body: await res.json(), cacheControl: res.headers.get('cache-control') };
  } catch (cause) {
    throw new IdTokenError('jwks_unavailable', { cause });
  }
}

/** How long a response may be reused, from its Cache-Control header. */
export function maxAgeMs(cacheControl: string | null): number {
  if (!cacheControl) return DEFAULT_MAX_AGE_MS;
  const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
  if (directives.includes('no-store') || directives.includes('no-cache')) return 0;
  const m = directives.map((d) => /^max-age=(\d+)$/.exec(d)).find(Boolean);
  if (!m) return DEFAULT_MAX_AGE_MS;
  return Math.min(Number(m[1]) * 1000, LONGEST_MAX_AGE_MS);
}

/** The issuer's JWKS address: the SMART configuration's, else OIDC discovery's (cached like discovery). */
export async function jwksUriFor(issuer: IssuerConfig, discovery: SmartConfiguration, oidcIssuer: string, deps: IdTokenDeps = {}): Promise<string> {
  if (discovery.jwks_uri) return discovery.jwks_uri;
  const now = (deps.now ?? Date.now)();
  const hit = oidcCache.get(issuer.id);
  if (hit && now - hit.at < serverEnv().HOUSECALL_DISCOVERY_CACHE_SECONDS * 1000) return hit.jwksUri;
  const { body } = await getJson(`${oidcIssuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, issuer, deps.fetchImpl ?? fetch);
  const parsed = openidConfiguration.safeParse(body);
  if (!parsed.success || !usable(parsed.data.jwks_uri, issuer)) throw new IdTokenError('jwks_unavailable');
  oidcCache.set(issuer.id, { at: now, jwksUri: parsed.data.jwks_uri });
  return parsed.data.jwks_uri;
}

async function loadKeys(issuer: IssuerConfig, uri: string, deps: IdTokenDeps): Promise<CachedKeys> {
  const { body, cacheControl } = await getJson(uri, issuer, deps.fetchImpl ?? fetch);
  const parsed = jwksSchema.safeParse(body);
  if (!parsed.success) throw new IdTokenError('jwks_unavailable');
  const entry = { uri, jwks: parsed.data as JSONWebKeySet, expiresAt: (deps.now ?? Date.now)() + maxAgeMs(cacheControl) };
  keyCache.set(issuer.id, entry);
  logger.debug({ event: 'smart.jwks_fetched', issuer: issuer.id, keys: entry.jwks.keys.length }, 'id_token keys fetched');
  return entry;
}

/**
 * Verifies an id_token's signature (RS256, the issuer's JWKS) and its `iss`, `aud` and `exp`;
 * with `expectedSubject`, also that `sub` is the one of the launch's first id_token (OIDC Core
 * §12.2, for an id_token returned on refresh). Nonce is checked by the code exchange itself.
 */
export async function verifyIdToken(
  idToken: string,
  ctx: { issuer: IssuerConfig; discovery: SmartConfiguration; expectedIssuer: string; clientId: string; expectedSubject?: string },
  deps: IdTokenDeps = {},
): Promise<JWTPayload> {
  const now = deps.now ?? Date.now;
  const uri = await jwksUriFor(ctx.issuer, ctx.discovery, ctx.expectedIssuer, deps);
  let entry = keyCache.get(ctx.issuer.id);
  let fresh = false;
  if (!entry || entry.uri !== uri || entry.expiresAt <= now()) {
    entry = await loadKeys(ctx.issuer, uri, deps);
    fresh = true;
  }
  const verify = (keys: CachedKeys) => jwtVerify(idToken, createLocalJWKSet(keys.jwks), {
    algorithms: ['RS256'],
    issuer: ctx.expectedIssuer,
    audience: ctx.clientId,
    requiredClaims: ['exp', 'iat', 'sub'],
    currentDate: new Date(now()),
  });
  let payload: JWTPayload;
  try {
    try {
      payload = (await verify(entry)).payload;
    } catch (e) {
      if (!(e instanceof joseErrors.JWKSNoMatchingKey) || fresh) throw e;
      payload = (await verify(await loadKeys(ctx.issuer, uri, deps))).payload; // a key the cached set does not know: rotated?
    }
  } catch (e) {
    if (e instanceof IdTokenError) throw e;
    const signature = e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWSSignatureVerificationFailed || e instanceof joseErrors.JOSEAlgNotAllowed || e instanceof joseErrors.JWSInvalid || e instanceof joseErrors.JWKSMultipleMatchingKeys;
    throw new IdTokenError(signature ? 'signature_invalid' : 'claims_invalid', { cause: e });
  }
  if (ctx.expectedSubject !== undefined && payload.sub !== ctx.expectedSubject) throw new IdTokenError('subject_changed');
  return payload;
}

/** For tests: forget every cached key set and OIDC discovery document. */
export function clearIdTokenKeyCache(): void {
  keyCache.clear();
  oidcCache.clear();
}
