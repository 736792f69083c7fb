import 'server-only';
import * as oauth from 'oauth4webapi';
import { processSingleton } from '../process-singleton';
import type { LaunchRecord, LaunchStore, LaunchTokens } from '../store';
import { logger, metrics } from '../telemetry';
import { findIssuerById, type SmartConfig } from './config';
import { discover } from './discovery';
import { LaunchError } from './errors';
import { authorizationServer, clientAuthentication, oauthClient, requestOptions } from './oauth-client';

/** Refresh this long before the access token expires, so no request carries a dying token. */
export const REFRESH_MARGIN_MS = 60_000;
const LEASE_MS = 20_000;
const WAIT_STEP_MS = 100;

/** Refreshes in progress in this process, one per launch. */
const inflight = processSingleton('refresh-inflight', () => new Map<string, Promise<string>>());

export interface TokenDeps {
  store: LaunchStore;
  config: SmartConfig;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The access token to use now (SMART App Launch §2.0.10, refresh). Refreshes shortly before
 * expiry, or when `rejected` names the token an EHR just answered 401 to. Ten concurrent
 * callers cause one refresh: a promise shared within the process, and a lease in the store
 * shared by every instance. A refresh token the server rotates replaces the old one, which
 * is never sent again; a response without one keeps the old (Oracle Health does this).
 * `invalid_grant` ends the launch: no retry loop.
 */
export async function freshAccessToken(launch: LaunchRecord, deps: TokenDeps, rejected?: string): Promise<string> {
  const now = deps.now ?? Date.now;
  const tokens = await deps.store.getTokens(launch.id);
  if (!tokens) throw new LaunchError('launch_ended');
  const current = await deps.store.getLaunch(launch.id);
  if (!current || current.endedAt !== null) throw new LaunchError('launch_ended');
  const expiring = current.accessExpiresAt !== null && current.accessExpiresAt - now() < REFRESH_MARGIN_MS;
  if (rejected !== undefined && rejected !== tokens.accessToken) return tokens.accessToken; // someone refreshed already
  if (!expiring && rejected === undefined) return tokens.accessToken;
  if (!tokens.refreshToken) {
    if (rejected !== undefined || (current.accessExpiresAt !== null && current.accessExpiresAt <= now())) {
      await deps.store.endLaunch(launch.id, 'access-expired');
      throw new LaunchError('launch_ended');
    }
    return tokens.accessToken;
  }
  let p = inflight.get(launch.id);
  if (!p) {
    p = refreshOnce(current, tokens, deps).finally(() => inflight.delete(launch.id));
    inflight.set(launch.id, p);
  }
  return p;
}

async function refreshOnce(launch: LaunchRecord, tokens: LaunchTokens, deps: TokenDeps): Promise<string> {
  const sleep = deps.sleep ?? defaultSleep;
  if (!(await deps.store.tryAcquireRefreshLease(launch.id, LEASE_MS))) {
    // Another instance is refreshing: wait for its tokens rather than spend the refresh token twice.
    for (let waited = 0; waited < LEASE_MS; waited += WAIT_STEP_MS) {
      await sleep(WAIT_STEP_MS);
      const latest = await deps.store.getTokens(launch.id);
      if (!latest) throw new LaunchError('launch_ended');
      if (latest.accessToken !== tokens.accessToken) return latest.accessToken;
      if (await deps.store.tryAcquireRefreshLease(launch.id, LEASE_MS)) break;
    }
  }
  const issuer = findIssuerById(deps.config, launch.issuerId);
  if (!issuer) throw new LaunchError('launch_ended');
  try {
    const as = authorizationServer(issuer, await discover(issuer));
    const client = oauthClient(issuer);
    const response = await oauth.refreshTokenGrantRequest(as, client, await clientAuthentication(issuer, as), tokens.refreshToken!, requestOptions(issuer));
    const result = await oauth.processRefreshTokenResponse(as, client, response);
    if (result.token_type !== 'bearer') throw new Error('unexpected token type');
    const next: LaunchTokens = {
      accessToken: result.access_token,
      refreshToken: result.refresh_token ?? tokens.refreshToken,
      idToken: result.id_token ?? tokens.idToken,
      tokenType: result.token_type,
    };
    const expiresAt = typeof result.expires_in === 'number' ? (deps.now ?? Date.now)() + result.expires_in * 1000 : null;
    await deps.store.replaceTokens(launch.id, next, expiresAt);
    metrics.refreshes.inc({ issuer: issuer.id, outcome: 'refreshed' });
    logger.info({ event: 'launch.refreshed', issuer: issuer.id, launchId: launch.id, rotated: result.refresh_token !== undefined }, 'access token refreshed');
    return next.accessToken;
  } catch (e) {
    await deps.store.releaseRefreshLease(launch.id);
    if (e instanceof oauth.ResponseBodyError && (e.error === 'invalid_grant' || e.error === 'invalid_client' || e.error === 'unauthorized_client')) {
      metrics.refreshes.inc({ issuer: issuer.id, outcome: e.error });
      logger.warn({ event: 'launch.refresh_failed', issuer: issuer.id, launchId: launch.id, error: e.error }, 'refresh refused; launch ended');
      await deps.store.endLaunch(launch.id, 'refresh-failed');
      throw new LaunchError('launch_ended', { cause: e });
    }
    metrics.refreshes.inc({ issuer: issuer.id, outcome: 'error' });
    logger.warn({ event: 'launch.refresh_error', issuer: issuer.id, launchId: launch.id, reason: (e as Error).name }, 'refresh did not complete');
    throw e;
  }
}

/**
 * Signs out of a launch: revokes the refresh token (and access token) at the EHR when it has a
 * revocation endpoint, then destroys the launch's tokens. Revocation failures are logged, and
 * the launch ends regardless.
 */
export async function endLaunchAndRevoke(launch: LaunchRecord, reason: string, deps: TokenDeps): Promise<void> {
  const tokens = await deps.store.getTokens(launch.id);
  await deps.store.endLaunch(launch.id, reason);
  const issuer = findIssuerById(deps.config, launch.issuerId);
  if (!tokens || !issuer) return;
  try {
    const discovery = await discover(issuer);
    if (!discovery.revocation_endpoint) return;
    const as = authorizationServer(issuer, discovery);
    const client = oauthClient(issuer);
    const auth = await clientAuthentication(issuer, as);
    for (const token of [tokens.refreshToken, tokens.accessToken]) {
      if (!token) continue;
      await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token, requestOptions(issuer)));
    }
    logger.info({ event: 'launch.revoked', issuer: issuer.id, launchId: launch.id }, 'tokens revoked');
  } catch (e) {
    logger.warn({ event: 'launch.revoke_failed', issuer: issuer.id, launchId: launch.id, reason: (e as Error).name }, 'revocation failed; launch ended anyway');
  }
}
