import 'server-only';
import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { LaunchStore } from '../store';
import { logger } from '../telemetry';
import { findIssuerByIss, insecureAllowed, type SmartConfig } from './config';
import { discover } from './discovery';
import { LaunchError } from './errors';
import { isPortalPart, workflowScopes } from './portal-parts';
import { requestedScopes, v1Widened } from './scopes';

/** Pending authorizations live ten minutes (SMART App Launch recommends a short life for `state`). */
export const STATE_TTL_MS = 10 * 60 * 1000;

/** Past this length an authorization URL goes by POST where the server supports it. */
export const MAX_AUTHORIZE_URL = 2000;

/** Where to send the browser: a redirect, or a form post for long requests (`authorize-post`). */
export type AuthorizationRequest =
  | { kind: 'redirect'; url: URL }
  | { kind: 'post'; action: string; params: Record<string, string> };

export function hashState(state: string): string {
  return createHash('sha256').update(state).digest('base64url');
}

export interface BeginLaunchInput {
  /** The `iss` parameter exactly as received. */
  iss: string | null;
  /** The opaque EHR `launch` parameter; absent for a standalone launch. */
  launch: string | null;
  browserSessionId: string;
  redirectUri: string;
  /**
   * Which scope set a standalone launch asks for (`restart.ts` asks for the clinician's when it
   * relaunches an EHR launch in a new window). It chooses scopes only: who the user is, and so
   * the workflow, still comes from the id_token (complete-launch.ts, decide-user.ts).
   */
  scopesFor?: 'clinician' | 'patient' | null;
  /**
   * A portal part asking again for scopes the EHR did not grant (`part=results`): the launch asks
   * for the patient's scopes, which include that part's, and returns to the part. Only names the
   * issuer's config defines are kept; anything else returns to the portal's home.
   */
  part?: string | null;
}

/**
 * Starts an EHR or standalone launch (App Launch 2.x §2.0.5-2.0.7): checks `iss` against the
 * registry before anything leaves the server, discovers the endpoints, and returns the
 * authorization URL. PKCE S256 always; `state` of 256 random bits stored only as a hash,
 * bound to this browser session; `aud` is `iss` exactly as received (the spec's "same as the
 * launch's iss value": an EHR comparing it with the base it sent may compare exactly, so the
 * configured spelling, which can differ in case or a trailing slash, is not sent). Other URL parameters
 * (`fhirServiceUrl`, `clientId`, `patientId`, ...) are never read. An issuer configured with
 * `standalone: false` refuses a launch without `launch` (`standalone_not_allowed`).
 */
export async function beginLaunch(input: BeginLaunchInput, deps: { config: SmartConfig; store: LaunchStore; fetch?: typeof fetch }): Promise<AuthorizationRequest> {
  if (!input.iss) throw new LaunchError('missing_issuer');
  const issuer = findIssuerByIss(deps.config, input.iss);
  if (!issuer) {
    logger.info({ event: 'launch.rejected', reason: 'unknown_issuer' }, 'launch from an issuer not in the registry');
    throw new LaunchError('unknown_issuer');
  }
  if (new URL(issuer.fhirBaseUrl).protocol !== 'https:' && !insecureAllowed(issuer)) throw new LaunchError('insecure_issuer');
  if (input.launch !== null && (input.launch.length === 0 || input.launch.length > 2048)) throw new LaunchError('authorization_error');
  const ehrLaunch = input.launch !== null;
  if (!ehrLaunch && !issuer.standalone) {
    logger.info({ event: 'launch.rejected', issuer: issuer.id, reason: 'standalone_not_allowed' }, 'standalone launch for an EHR-only issuer');
    throw new LaunchError('standalone_not_allowed');
  }

  const discovery = await discover(issuer, deps.fetch);
  // A guess for which scopes to ask for; the stored workflow comes from the identity at the callback.
  const workflow = ehrLaunch || input.scopesFor === 'clinician' ? 'clinician' : 'patient';
  const supportsV2 = discovery.capabilities.includes('permission-v2');
  const resourceScopes = workflowScopes(issuer, workflow);
  const scope = requestedScopes({ workflow, ehrLaunch, resourceScopes, supportsV2, access: issuer.access });
  const widened = supportsV2 ? [] : v1Widened(resourceScopes);
  const returnTo = workflow === 'patient' && isPortalPart(issuer, input.part) ? input.part : undefined;
  if (widened.length > 0) {
    // v1 `.write` includes delete: said out loud, once per launch, with the scope names only.
    logger.warn({ event: 'launch.v1_write_widened', issuer: issuer.id, scopes: widened }, 'v1-only server: write scopes also ask for delete');
  }

  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const nonce = oauth.generateRandomNonce();
  await deps.store.createPending({
    stateHash: hashState(state),
    browserSessionId: input.browserSessionId,
    issuerId: issuer.id,
    secret: { codeVerifier, nonce, launch: input.launch, workflow, redirectUri: input.redirectUri, ...(returnTo ? { returnTo } : {}) },
    ttlMs: STATE_TTL_MS,
  });

  const url = new URL(discovery.authorization_endpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: issuer.clientId,
    redirect_uri: input.redirectUri,
    scope,
    state,
    nonce,
    aud: input.iss,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  if (input.launch !== null) params.launch = input.launch;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  logger.info({ event: 'launch.started', issuer: issuer.id, workflow }, 'authorization request sent');
  if (url.toString().length > MAX_AUTHORIZE_URL && discovery.capabilities.includes('authorize-post')) {
    return { kind: 'post', action: discovery.authorization_endpoint, params };
  }
  return { kind: 'redirect', url };
}
