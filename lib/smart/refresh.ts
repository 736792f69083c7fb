import 'server-only';
import * as oauth from 'oauth4webapi';
import { processSingleton } from '../process-singleton';
import { decodeJwt } from 'jose';
import type { LaunchRecord, LaunchStore, LaunchTokens } from '../store';
import { logger, metrics } from '../telemetry';
import { findIssuerById, type IssuerConfig, type SmartConfig } from './config';
import { discover, DISCOVERY_TIMEOUT_MS, type SmartConfiguration } from './discovery';
import { LaunchError } from './errors';
import { ID_TOKEN_FETCH_TIMEOUT_MS, verifyIdToken, type IdTokenError } from './id-token';
import { authorizationServer, clientAuthentication, oauthClient, requestOptions, TOKEN_REQUEST_TIMEOUT_MS } from './oauth-client';

/**
 * Refresh this long before the access token expires, so no request carries a dying token; a
 * token that lives less than ten minutes is refreshed a tenth of its lifetime early instead (a
 * 5-second token a minute early would be refreshed on every request).
 */
export const REFRESH_MARGIN_MS = 60_000;

function refreshMargin(tokens: LaunchTokens): number {
  return tokens.expiresInMs === undefined ? REFRESH_MARGIN_MS : Math.min(REFRESH_MARGIN_MS, tokens.expiresInMs / 10);
}
/**
 * The longest one refresh can take before it stores what came back: discovery, the token
 * request, then the id_token's OpenID configuration and key set (the set fetched again once for a
 * key id it does not hold), each at its timeout.
 */
export const LONGEST_REFRESH_MS = DISCOVERY_TIMEOUT_MS + TOKEN_REQUEST_TIMEOUT_MS + 3 * ID_TOKEN_FETCH_TIMEOUT_MS;
/**
 * The refresh lease outlives the longest refresh: were it shorter, another instance could take an
 * expired lease while this one is still verifying the answer to the refresh token it sent, and
 * send the same refresh token again (which an EHR that detects reuse answers by revoking them all).
 */
export const REFRESH_LEASE_MS = LONGEST_REFRESH_MS + 5_000;
/** How long a request waits for another's refresh before it is answered `refresh_busy`. */
const WAIT_MAX_MS = 20_000;
const WAIT_STEP_MS = 100;

/**
 * Refreshes in progress, one per launch per store: the store stands for the server instance
 * (one per process in production; tests open several to model several instances).
 */
const inflight = processSingleton('refresh-inflight', () => new WeakMap<LaunchStore, Map<string, Promise<string>>>());

function inflightOf(store: LaunchStore): Map<string, Promise<string>> {
  let m = inflight.get(store);
  if (!m) inflight.set(store, (m = new Map()));
  return m;
}

export interface TokenDeps {
  store: LaunchStore;
  config: SmartConfig;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether `tokens` still need a refresh: the access token is (nearly) expired, or it is the one an EHR just refused. */
function needsRefresh(launch: LaunchRecord, tokens: LaunchTokens, now: number, rejected: string | undefined): boolean {
  if (rejected !== undefined && rejected === tokens.accessToken) return true;
  // A token another request already put in place of the rejected one may itself have run out since (a slow server, a short lifetime).
  return launch.accessExpiresAt !== null && launch.accessExpiresAt - now < refreshMargin(tokens);
}

/**
 * The access token to use now (SMART App Launch §2.0.10, refresh). Refreshes shortly before
 * expiry, or when `rejected` names the token an EHR just answered 401 to. Any number of
 * concurrent callers, on any number of instances, cause one refresh: a promise shared within
 * the instance, and a lease in the store shared by every instance. Whoever takes the lease
 * reads the tokens again first, so a caller whose snapshot predates another's finished refresh
 * uses the newer token instead of spending the old refresh token twice. A refresh token the
 * server rotates replaces the old one, which is never sent again; a response without one keeps
 * the old (Oracle Health does this). A `scope` in the response replaces the stored grant. An
 * id_token in the response is verified like the launch's first (signature, iss, aud, exp, and
 * the same `sub`); a bad one ends the launch. `invalid_grant` ends the launch: no retry loop.
 */
export async function freshAccessToken(launch: LaunchRecord, deps: TokenDeps, rejected?: string): Promise<string> {
  const now = deps.now ?? Date.now;
  // The record and the tokens from one read of the row: a refresh stores both in one update, so
  // the tokens read are never older than the expiry read (an old token is never taken for a fresh one).
  const read = await deps.store.getLaunchWithTokens(launch.id);
  if (!read || read.launch.endedAt !== null) throw new LaunchError('launch_ended');
  const { launch: current, tokens } = read;
  if (!tokens) throw new LaunchError('launch_ended');
  if (!needsRefresh(current, tokens, now(), rejected)) return tokens.accessToken;
  if (!tokens.refreshToken) {
    if (rejected !== undefined || (current.accessExpiresAt !== null && current.accessExpiresAt <= now())) {
      await deps.store.endLaunch(launch.id, 'access-expired');
      throw new LaunchError('launch_ended');
    }
    return tokens.accessToken;
  }
  const running = inflightOf(deps.store);
  let p = running.get(launch.id);
  if (!p) {
    p = refreshOnce(current, tokens, deps, rejected).finally(() => running.delete(launch.id));
    running.set(launch.id, p);
  }
  return p;
}

async function refreshOnce(launch: LaunchRecord, snapshot: LaunchTokens, deps: TokenDeps, rejected: string | undefined): Promise<string> {
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  let leased = await deps.store.tryAcquireRefreshLease(launch.id, REFRESH_LEASE_MS);
  for (let waited = 0; !leased && waited < WAIT_MAX_MS; waited += WAIT_STEP_MS) {
    // Another instance is refreshing: wait for its tokens rather than spend the refresh token twice.
    await sleep(WAIT_STEP_MS);
    const latest = await deps.store.getTokens(launch.id);
    if (!latest) throw new LaunchError('launch_ended');
    if (latest.accessToken !== snapshot.accessToken) return latest.accessToken;
    leased = await deps.store.tryAcquireRefreshLease(launch.id, REFRESH_LEASE_MS);
  }
  if (!leased) throw new LaunchError('refresh_busy');
  // With the lease held, read again: a refresh that finished after our snapshot was taken
  // already replaced the tokens (and its refresh token may have been rotated away).
  const read = await deps.store.getLaunchWithTokens(launch.id);
  const latest = read?.launch;
  const tokens = read?.tokens;
  if (!tokens || !latest || latest.endedAt !== null) {
    await deps.store.releaseRefreshLease(launch.id);
    throw new LaunchError('launch_ended');
  }
  if (!needsRefresh(latest, tokens, now(), rejected)) {
    await deps.store.releaseRefreshLease(launch.id);
    return tokens.accessToken;
  }
  if (!tokens.refreshToken) {
    await deps.store.releaseRefreshLease(launch.id);
    return tokens.accessToken;
  }
  const issuer = findIssuerById(deps.config, launch.issuerId);
  if (!issuer) {
    await deps.store.releaseRefreshLease(launch.id);
    throw new LaunchError('launch_ended');
  }
  let discovery: SmartConfiguration;
  let as: oauth.AuthorizationServer;
  let response: Response;
  try {
    discovery = await discover(issuer);
    as = authorizationServer(issuer, discovery);
    response = await oauth.refreshTokenGrantRequest(as, oauthClient(issuer), await clientAuthentication(issuer, as), tokens.refreshToken, requestOptions(issuer));
  } catch (e) {
    await deps.store.releaseRefreshLease(launch.id);
    metrics.refreshes.inc({ issuer: issuer.id, outcome: 'error' });
    logger.warn({ event: 'launch.refresh_error', issuer: issuer.id, launchId: launch.id, reason: (e as Error).name }, 'refresh did not complete');
    throw e;
  }
  // What came back, read before it is judged: tokens in an answer that is refused are revoked.
  const raw = (await response.clone().json().catch(() => null)) as Record<string, unknown> | null;
  const returned = [raw?.refresh_token, raw?.access_token].filter((t): t is string => typeof t === 'string');
  const refuseIdToken = async (e: unknown): Promise<never> => {
    // The old refresh token may already be used up: nothing to fall back on. End, and revoke what came back.
    metrics.refreshes.inc({ issuer: issuer.id, outcome: 'id_token_invalid' });
    logger.warn({ event: 'launch.refresh_id_token_invalid', issuer: issuer.id, launchId: launch.id, reason: (e as IdTokenError).code ?? (e as { code?: string }).code ?? (e as Error).name }, 'id_token on refresh not accepted; launch ended');
    await deps.store.endLaunch(launch.id, 'refresh-failed');
    // A server that does not rotate leaves the old refresh token live: revoke that one then.
    await revokeQuietly(issuer, as, typeof raw?.refresh_token === 'string' ? returned : [tokens.refreshToken, ...returned], launch.id);
    throw new LaunchError('launch_ended', { cause: e });
  };
  let result: oauth.TokenEndpointResponse;
  try {
    result = await oauth.processRefreshTokenResponse(as, oauthClient(issuer), response);
    if (result.token_type !== 'bearer') throw new Error('unexpected token type');
  } catch (e) {
    await deps.store.releaseRefreshLease(launch.id);
    if (e instanceof oauth.ResponseBodyError && (e.error === 'invalid_grant' || e.error === 'invalid_client' || e.error === 'unauthorized_client')) {
      metrics.refreshes.inc({ issuer: issuer.id, outcome: e.error });
      logger.warn({ event: 'launch.refresh_failed', issuer: issuer.id, launchId: launch.id, error: e.error }, 'refresh refused; launch ended');
      await deps.store.endLaunch(launch.id, 'refresh-failed');
      throw new LaunchError('launch_ended', { cause: e });
    }
    // oauth4webapi checks an id_token's claims (iss, aud, exp, alg) while processing the answer.
    if (response.ok && typeof raw?.id_token === 'string' && typeof raw.access_token === 'string') return refuseIdToken(e);
    metrics.refreshes.inc({ issuer: issuer.id, outcome: 'error' });
    logger.warn({ event: 'launch.refresh_error', issuer: issuer.id, launchId: launch.id, reason: (e as Error).name }, 'refresh did not complete');
    throw e;
  }
  if (result.id_token !== undefined) {
    try {
      await verifyIdToken(result.id_token, { issuer, discovery, expectedIssuer: as.issuer, clientId: issuer.clientId, expectedSubject: subjectOf(tokens.idToken) });
    } catch (e) {
      await deps.store.releaseRefreshLease(launch.id);
      return refuseIdToken(e);
    }
  }
  const next: LaunchTokens = {
    accessToken: result.access_token,
    refreshToken: result.refresh_token ?? tokens.refreshToken,
    idToken: result.id_token ?? tokens.idToken,
    tokenType: result.token_type,
    ...(typeof result.expires_in === 'number' ? { expiresInMs: result.expires_in * 1000 } : {}),
  };
  const accessExpiresAt = typeof result.expires_in === 'number' ? now() + result.expires_in * 1000 : null;
  const scope = typeof result.scope === 'string' && result.scope.trim() !== '' ? result.scope : undefined;
  const stored = await deps.store.replaceTokens(launch.id, { tokens: next, accessExpiresAt, scope }, tokens.refreshToken);
  if (stored !== 'replaced') {
    // Ended meanwhile (signed out, ended by support) or overtaken: what came back must not stay live at the EHR.
    await deps.store.releaseRefreshLease(launch.id);
    metrics.refreshes.inc({ issuer: issuer.id, outcome: `discarded-${stored}` });
    logger.warn({ event: 'launch.refresh_discarded', issuer: issuer.id, launchId: launch.id, reason: stored }, 'refreshed tokens not stored; revoking them');
    await revokeQuietly(issuer, as, result.refresh_token !== undefined ? returned : [result.access_token], launch.id);
    if (stored === 'ended') throw new LaunchError('launch_ended');
    const winner = await deps.store.getTokens(launch.id);
    if (!winner) throw new LaunchError('launch_ended');
    return winner.accessToken;
  }
  metrics.refreshes.inc({ issuer: issuer.id, outcome: 'refreshed' });
  logger.info({ event: 'launch.refreshed', issuer: issuer.id, launchId: launch.id, rotated: result.refresh_token !== undefined, scopeChanged: scope !== undefined && scope !== launch.scope }, 'access token refreshed');
  return next.accessToken;
}

function subjectOf(idToken: string | undefined): string | undefined {
  if (!idToken) return undefined;
  try {
    const sub = decodeJwt(idToken).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

async function revokeQuietly(issuer: IssuerConfig, as: oauth.AuthorizationServer, tokens: (string | undefined)[], launchId: string): Promise<void> {
  if (!as.revocation_endpoint) return;
  const failed = await revokeEach(issuer, as, tokens);
  if (failed.length) logger.warn({ event: 'launch.revoke_failed', issuer: issuer.id, launchId, reason: failed.join(',') }, 'revocation of discarded tokens failed');
}

/**
 * Sends one EHR request with a fresh access token (App Launch §2.0.10): a 401 gets one refresh
 * (or the token another caller already refreshed) and one retry. A 401 to that retry means the
 * EHR no longer accepts this launch's tokens: the launch ends (`token-rejected`) and the caller
 * gets `launch_ended`, so later requests do not refresh again and again.
 */
export async function sendWithFreshToken<T extends { status: number }>(launch: LaunchRecord, deps: TokenDeps, send: (accessToken: string) => Promise<T>): Promise<T> {
  const first = await freshAccessToken(launch, deps);
  const answer = await send(first);
  if (answer.status !== 401) return answer;
  const second = await freshAccessToken(launch, deps, first);
  const retried = await send(second);
  if (retried.status !== 401) return retried;
  metrics.refreshes.inc({ issuer: launch.issuerId, outcome: 'token-rejected' });
  logger.warn({ event: 'launch.token_rejected', issuer: launch.issuerId, launchId: launch.id }, 'EHR refused a refreshed token; launch ended');
  await deps.store.endLaunch(launch.id, 'token-rejected');
  throw new LaunchError('launch_ended');
}

/**
 * Signs out of a launch (RFC 7009 revocation): revokes the refresh token and the access token
 * at the EHR when it has a revocation endpoint, each on its own (one refused does not keep the
 * other live), then destroys the launch's tokens. Revocation failures are logged, and the launch
 * ends regardless. A refresh finishing meanwhile cannot store its tokens on the ended launch
 * (`replaceTokens` refuses) and revokes them itself.
 */
export async function endLaunchAndRevoke(launch: LaunchRecord, reason: string, deps: TokenDeps): Promise<void> {
  // The tokens the launch held at the moment it ended (one swap): a refresh that stored new ones
  // just before is revoked with them, one that finishes after stores nothing and revokes its own.
  const tokens = await deps.store.endLaunch(launch.id, reason);
  const issuer = findIssuerById(deps.config, launch.issuerId);
  if (!tokens || !issuer) return;
  let as: oauth.AuthorizationServer;
  try {
    const discovery = await discover(issuer);
    if (!discovery.revocation_endpoint) return;
    as = authorizationServer(issuer, discovery);
  } catch (e) {
    logger.warn({ event: 'launch.revoke_failed', issuer: issuer.id, launchId: launch.id, reason: (e as Error).name }, 'revocation failed; launch ended anyway');
    return;
  }
  const failed = await revokeEach(issuer, as, [tokens.refreshToken, tokens.accessToken]);
  if (failed.length === 0) logger.info({ event: 'launch.revoked', issuer: issuer.id, launchId: launch.id }, 'tokens revoked');
  else logger.warn({ event: 'launch.revoke_failed', issuer: issuer.id, launchId: launch.id, reason: failed.join(',') }, 'revocation failed; launch ended anyway');
}

/** Revokes each token on its own; the names of the errors of those that failed. */
async function revokeEach(issuer: IssuerConfig, as: oauth.AuthorizationServer, tokens: (string | undefined)[]): Promise<string[]> {
  const failed: string[] = [];
  for (const token of tokens) {
    if (!token) continue;
    try {
      const auth = await clientAuthentication(issuer, as);
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, oauthClient(issuer), auth, token, requestOptions(issuer)));
    } catch (e) {
      failed.push((e as Error).name);
    }
  }
  return failed;
}
