import 'server-only';
import { z } from 'zod';
import { processSingleton } from '../process-singleton';
import { serverEnv } from '../env';
import { logger } from '../telemetry';
import { insecureAllowed, type IssuerConfig } from './config';
import { LaunchError } from './errors';

/**
 * SMART discovery (App Launch 2.x §2.3): `{iss}/.well-known/smart-configuration`. Only for an
 * issuer already found in the registry. A failure, a time-out (5 s), a body that is not JSON,
 * or endpoints missing or not https end the launch before anything is sent to them. Endpoints
 * given relative to the issuer are resolved against its FHIR base.
 */
const smartConfiguration = z.object({
  issuer: z.string().optional(),
  jwks_uri: z.string().optional(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  revocation_endpoint: z.string().optional(),
  introspection_endpoint: z.string().optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  capabilities: z.array(z.string()).default([]),
  scopes_supported: z.array(z.string()).optional(),
});

export type SmartConfiguration = z.infer<typeof smartConfiguration>;

export const DISCOVERY_TIMEOUT_MS = 5_000;

const cache = processSingleton('discovery-cache', () => new Map<string, { at: number; value: SmartConfiguration }>());

/**
 * Resolves an endpoint against the issuer's FHIR base (App Launch 2.x §2.3: relative URLs in
 * the document SHOULD be resolved against `iss`), so `/oauth/token` lands on the EHR's origin.
 * Null when it is not a URL at all.
 */
function resolveEndpoint(url: string, issuer: IssuerConfig): string | null {
  try {
    return new URL(url, issuer.fhirBaseUrl.replace(/\/*$/, '/')).toString();
  } catch {
    return null;
  }
}

function endpointOk(url: string | null, issuer: IssuerConfig): boolean {
  if (url === null) return false;
  const u = new URL(url);
  return u.protocol === 'https:' || (u.protocol === 'http:' && insecureAllowed(issuer));
}

/**
 * Configured discovery headers with a value: an empty one (an unset `${VAR:-}`) is not sent,
 * and `Accept` is always Housecall's own `application/json`.
 */
function discoveryHeaders(issuer: IssuerConfig): Record<string, string> {
  const configured = Object.entries(issuer.discoveryHeaders ?? {}).filter(([k, v]) => v.trim() !== '' && k.toLowerCase() !== 'accept');
  return { ...Object.fromEntries(configured), accept: 'application/json' };
}

export async function discover(issuer: IssuerConfig, fetchImpl: typeof fetch = fetch, timeoutMs = DISCOVERY_TIMEOUT_MS): Promise<SmartConfiguration> {
  const hit = cache.get(issuer.id);
  if (hit && Date.now() - hit.at < serverEnv().HOUSECALL_DISCOVERY_CACHE_SECONDS * 1000) return hit.value;
  const url = `${issuer.fhirBaseUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  let body: unknown;
  try {
    const res = await fetchImpl(url, {
      headers: discoveryHeaders(issuer),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    if (!res.ok) throw new Error(`status ${res.status}`);
    body = await res.json();
  } catch (cause) {
    logger.warn({ event: 'smart.discovery_failed', issuer: issuer.id, reason: (cause as Error).name }, 'SMART discovery failed');
    throw new LaunchError('discovery_failed', { cause });
  }
  const parsed = smartConfiguration.safeParse(body);
  if (!parsed.success) {
    logger.warn({ event: 'smart.discovery_invalid', issuer: issuer.id }, 'SMART configuration is missing endpoints');
    throw new LaunchError('discovery_failed');
  }
  const cfg = { ...parsed.data };
  for (const key of ['authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'jwks_uri'] as const) {
    const value = cfg[key];
    if (value === undefined) continue;
    const resolved = resolveEndpoint(value, issuer);
    if (!endpointOk(resolved, issuer)) {
      logger.warn({ event: 'smart.discovery_insecure', issuer: issuer.id }, 'SMART configuration names a non-https endpoint');
      throw new LaunchError('discovery_failed');
    }
    cfg[key] = resolved as string;
  }
  // PKCE S256 is mandatory in SMART v2 (§2.0.7) and Housecall never sends `plain`. A document
  // that lists methods without S256 cannot take Housecall's request: refused before any
  // redirect. A document that lists none (older servers omit the field) gets S256 anyway.
  if (cfg.code_challenge_methods_supported !== undefined && !cfg.code_challenge_methods_supported.includes('S256')) {
    logger.warn({ event: 'smart.discovery_no_s256', issuer: issuer.id }, 'SMART configuration does not support PKCE S256');
    throw new LaunchError('pkce_unsupported');
  }
  cache.set(issuer.id, { at: Date.now(), value: cfg });
  return cfg;
}

export function clearDiscoveryCache(): void {
  cache.clear();
}
