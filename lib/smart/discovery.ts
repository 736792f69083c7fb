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

function endpointOk(url: string | undefined, issuer: IssuerConfig): boolean {
  if (url === undefined) return true;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && insecureAllowed(issuer));
  } catch {
    return false;
  }
}

export async function discover(issuer: IssuerConfig, fetchImpl: typeof fetch = fetch, timeoutMs = DISCOVERY_TIMEOUT_MS): Promise<SmartConfiguration> {
  const hit = cache.get(issuer.id);
  if (hit && Date.now() - hit.at < serverEnv().HOUSECALL_DISCOVERY_CACHE_SECONDS * 1000) return hit.value;
  const url = `${issuer.fhirBaseUrl.replace(/\/+$/, '')}/.well-known/smart-configuration`;
  let body: unknown;
  try {
    const res = await fetchImpl(url, {
      headers: { accept: 'application/json', ...issuer.discoveryHeaders },
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
  // Endpoints may be given relative to the issuer (App Launch 2.x §2.3 SHOULD resolve them).
  const base = `${issuer.fhirBaseUrl.replace(/\/+$/, '')}/`;
  const resolve = (u: string | undefined) => {
    if (u === undefined) return undefined;
    try {
      return new URL(u, base).href;
    } catch {
      return u; // refused below
    }
  };
  const cfg: SmartConfiguration = {
    ...parsed.data,
    authorization_endpoint: resolve(parsed.data.authorization_endpoint)!,
    token_endpoint: resolve(parsed.data.token_endpoint)!,
    revocation_endpoint: resolve(parsed.data.revocation_endpoint),
    introspection_endpoint: resolve(parsed.data.introspection_endpoint),
    jwks_uri: resolve(parsed.data.jwks_uri),
  };
  for (const u of [cfg.authorization_endpoint, cfg.token_endpoint, cfg.revocation_endpoint, cfg.jwks_uri]) {
    if (!endpointOk(u, issuer)) {
      logger.warn({ event: 'smart.discovery_insecure', issuer: issuer.id }, 'SMART configuration names a non-https endpoint');
      throw new LaunchError('discovery_failed');
    }
  }
  cache.set(issuer.id, { at: Date.now(), value: cfg });
  return cfg;
}

export function clearDiscoveryCache(): void {
  cache.clear();
}
