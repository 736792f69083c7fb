import 'server-only';
import { randomBytes } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { LaunchRecord, LaunchStore } from '../store';
import { logger } from '../telemetry';
import { findIssuerById, type SmartConfig } from './config';
import { discover } from './discovery';
import { LaunchError } from './errors';
import { verifyIdToken, type IdTokenError } from './id-token';
import { hashState } from './begin-launch';
import { decideUser } from './decide-user';
import { normalizeFhirUser } from './fhir-user';
import { resolveActsFor } from './acts-for';
import { authorizationServer, clientAuthentication, oauthClient, requestOptions } from './oauth-client';

/** FHIR id syntax (R4 §2.1.0.1 "id"): context ids are checked before they are used anywhere. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

const STATE_ERRORS = {
  unknown: 'state_unknown',
  expired: 'state_expired',
  replayed: 'state_replayed',
  'other-session': 'state_other_session',
} as const;

/** Best-effort revocation (RFC 7009) of tokens no launch will use; failures are only logged. */
async function revokeUnused(issuerId: string, endpoint: string | undefined, as: oauth.AuthorizationServer, client: oauth.Client, auth: oauth.ClientAuth, tokens: (string | undefined)[], options: oauth.RevocationRequestOptions): Promise<void> {
  if (!endpoint) return;
  try {
    for (const token of tokens) {
      if (token) await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token, options));
    }
  } catch (e) {
    logger.warn({ event: 'launch.revoke_failed', issuer: issuerId, reason: (e as Error).name }, 'could not revoke the tokens of a refused user');
  }
}

/**
 * Completes the authorization code flow (App Launch 2.x §2.0.8-2.0.9). Order matters: the
 * `state` is consumed first (single use, this browser session, unexpired), so nothing is sent
 * to the token endpoint for a callback Housecall did not start. oauth4webapi validates the
 * callback and only the branded result reaches the code exchange. The id_token is verified
 * (signature against the issuer's JWKS, iss, aud, exp, nonce) before a launch record exists.
 * Its `fhirUser` is normalised (fhir-user.ts) and, with the token's `patient`, decides the
 * workflow (decide-user.ts): a caregiver or an unrecognised user gets an error page and no launch
 * record, so nothing of the record can be reached. `standalone` says how it began (for audit).
 */
export async function completeLaunch(
  input: { callbackUrl: URL; browserSessionId: string | null },
  deps: { config: SmartConfig; store: LaunchStore },
): Promise<LaunchRecord & { standalone: boolean; returnTo: string | null }> {
  const state = input.callbackUrl.searchParams.get('state');
  if (!state) throw new LaunchError('state_unknown');
  const pending = await deps.store.consumePending(hashState(state), input.browserSessionId);
  if (!pending.ok) {
    logger.info({ event: 'launch.callback_rejected', reason: pending.reason }, 'callback with unusable state');
    throw new LaunchError(pending.reason === 'other-session' && input.browserSessionId === null ? 'session_missing' : STATE_ERRORS[pending.reason]);
  }
  const issuer = findIssuerById(deps.config, pending.issuerId);
  if (!issuer) throw new LaunchError('unknown_issuer');
  const discovery = await discover(issuer);
  const as = authorizationServer(issuer, discovery);
  const client = oauthClient(issuer);
  const options = requestOptions(issuer);

  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, input.callbackUrl, state);
  } catch (e) {
    if (e instanceof oauth.AuthorizationResponseError) {
      const code = e.error === 'access_denied' ? 'authorization_denied' : 'authorization_error';
      logger.info({ event: 'launch.denied', issuer: issuer.id, error: e.error }, 'authorization server returned an error');
      throw new LaunchError(code, { detail: e.error_description ?? undefined, cause: e });
    }
    throw new LaunchError('authorization_error', { cause: e });
  }
  // Neither a code nor an error (RFC 6749 §4.1.2): a malformed redirect, answered 400 before any
  // token request. The state is already spent, so the same URL cannot be replayed.
  if (!params.get('code')) {
    logger.info({ event: 'launch.callback_rejected', issuer: issuer.id, reason: 'missing_code' }, 'callback without a code');
    throw new LaunchError('missing_code');
  }

  let response: Response;
  let tokens: oauth.TokenEndpointResponse;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, await clientAuthentication(issuer, as), params, pending.secret.redirectUri, pending.secret.codeVerifier, options);
  } catch (e) {
    logger.warn({ event: 'launch.token_failed', issuer: issuer.id, reason: (e as Error).name }, 'token request failed');
    throw new LaunchError('token_exchange_failed', { cause: e });
  }
  // What the server sent decides the error: a usable bearer token with a bad id_token is an
  // identity failure, anything else a failed exchange.
  const raw = (await response.clone().json().catch(() => null)) as Record<string, unknown> | null;
  const tokenUsable = typeof raw?.access_token === 'string' && typeof raw.token_type === 'string' && raw.token_type.toLowerCase() === 'bearer';
  try {
    tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.secret.nonce, requireIdToken: true });
  } catch (e) {
    // invalid_client (RFC 6749 §5.2) means Housecall's registration is wrong, not the user's sign-in.
    const clientRejected = e instanceof oauth.ResponseBodyError && e.error === 'invalid_client';
    const code = clientRejected ? 'client_rejected' : tokenUsable ? 'id_token_invalid' : 'token_exchange_failed';
    logger.warn({ event: 'launch.token_rejected', issuer: issuer.id, outcome: code, reason: (e as { code?: string }).code ?? (e as Error).name }, 'token response rejected');
    throw new LaunchError(code, { cause: e });
  }
  if (tokens.token_type !== 'bearer') throw new LaunchError('token_exchange_failed');
  try {
    // Keys from the issuer's JWKS, cached across launches (lib/smart/id-token.ts).
    await verifyIdToken(tokens.id_token!, { issuer, discovery, expectedIssuer: as.issuer, clientId: client.client_id });
  } catch (e) {
    logger.warn({ event: 'launch.id_token_signature', issuer: issuer.id, reason: (e as IdTokenError).code ?? (e as Error).name }, 'id_token signature not verified');
    throw new LaunchError('id_token_invalid', { cause: e });
  }
  const claims = oauth.getValidatedIdTokenClaims(tokens);

  const patient = typeof tokens.patient === 'string' ? tokens.patient : null;
  const encounter = typeof tokens.encounter === 'string' ? tokens.encounter : null;
  const patientId = patient !== null && FHIR_ID.test(patient) ? patient : null;
  if (encounter !== null && !FHIR_ID.test(encounter)) throw new LaunchError('token_exchange_failed');
  // Who signed in comes from the verified id_token, normalised once here (fhir-user.ts); the
  // workflow follows from that identity, not from whether the EHR sent `launch` (decide-user.ts).
  let fhirUser: string | null = null;
  if (claims?.fhirUser !== undefined) {
    const normalised = typeof claims.fhirUser === 'string' ? normalizeFhirUser(claims.fhirUser, issuer.fhirBaseUrl) : ({ ok: false, reason: 'malformed' } as const);
    if (!normalised.ok) {
      logger.warn({ event: 'launch.user_refused', issuer: issuer.id, reason: normalised.reason }, 'fhirUser claim refused');
      await revokeUnused(issuer.id, discovery.revocation_endpoint, as, client, await clientAuthentication(issuer, as), [tokens.refresh_token, tokens.access_token], options);
      throw new LaunchError('user_not_recognised');
    }
    fhirUser = normalised.reference;
  }
  const user = decideUser({ fhirUser, patientId, standalone: pending.secret.launch === null, standaloneUserIsPatient: issuer.standaloneUserIsPatient });
  if (user.kind !== 'caregiver' && patientId === null) throw new LaunchError('no_patient_context');
  if (user.kind === 'caregiver' || user.kind === 'refused') {
    logger.info({ event: 'launch.user_refused', issuer: issuer.id, reason: user.kind === 'refused' ? user.reason : 'caregiver' }, 'no workflow for this user');
    // Tokens issued to someone Housecall will not serve are handed back, not left live at the EHR.
    await revokeUnused(issuer.id, discovery.revocation_endpoint, as, client, await clientAuthentication(issuer, as), [tokens.refresh_token, tokens.access_token], options);
    throw new LaunchError(user.kind === 'caregiver' ? 'caregiver_not_available' : 'user_not_recognised');
  }

  const scope = tokens.scope ?? '';
  // A user named by their role acts for that role's Practitioner: read once, now (acts-for.ts).
  const actsFor = await resolveActsFor({ issuerId: issuer.id, fhirBaseUrl: issuer.fhirBaseUrl, fhirUser: user.fhirUser, accessToken: tokens.access_token });
  const record = await deps.store.createLaunch({
    id: randomBytes(18).toString('base64url'),
    browserSessionId: input.browserSessionId as string,
    issuerId: issuer.id,
    workflow: user.kind,
    patientId: user.patientId,
    encounterId: encounter,
    fhirUser: user.fhirUser,
    actsFor,
    scope,
    needPatientBanner: tokens.need_patient_banner !== false,
    smartStyleUrl: typeof tokens.smart_style_url === 'string' ? tokens.smart_style_url : null,
    accessExpiresAt: typeof tokens.expires_in === 'number' ? Date.now() + tokens.expires_in * 1000 : null,
    tokens: { accessToken: tokens.access_token, refreshToken: tokens.refresh_token, idToken: tokens.id_token, tokenType: tokens.token_type, ...(typeof tokens.expires_in === 'number' ? { expiresInMs: tokens.expires_in * 1000 } : {}) },
  });
  logger.info({ event: 'launch.completed', issuer: issuer.id, workflow: record.workflow, launchId: record.id }, 'launch completed');
  return { ...record, standalone: pending.secret.launch === null, returnTo: record.workflow === 'patient' ? (pending.secret.returnTo ?? null) : null };
}
