import { beforeAll, describe, expect, it } from 'vitest';
import type { LaunchRecord } from '../store';
import type { SmartConfig } from './config';
import { LaunchError } from './errors';
import { endLaunchAndRevoke, freshAccessToken } from './refresh';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();
let config: SmartConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase);
});

async function launchExpiringIn(ms: number, refreshToken: string | null = 'RT-0'): Promise<LaunchRecord> {
  return h.store.launches.createLaunch({
    id: `launch-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: 's', issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser: null, scope: 'patient/*.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + ms,
    tokens: { accessToken: 'AT-0', refreshToken: refreshToken ?? undefined, tokenType: 'bearer' },
  });
}

const deps = () => ({ store: h.store.launches, config });

describe('freshAccessToken', () => {
  it('returns the current token while it is far from expiry, with no request', async () => {
    const launch = await launchExpiringIn(10 * 60_000);
    expect(await freshAccessToken(launch, deps())).toBe('AT-0');
    expect(h.as.tokenRequests()).toHaveLength(0);
  });

  it('refreshes a short-lived token a tenth of its lifetime early, not a minute early (which would be every request)', async () => {
    let n = 0;
    h.as.onToken(() => ({ body: { access_token: `AT-${++n}`, token_type: 'bearer', expires_in: 5, refresh_token: `RT-${n}` } }));
    const launch = await h.store.launches.createLaunch({
      id: `launch-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: 's', issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
      encounterId: null, fhirUser: null, scope: 'patient/*.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 4_000,
      tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer', expiresInMs: 5_000 },
    });
    expect(await freshAccessToken(launch, deps())).toBe('AT-0');
    expect(h.as.tokenRequests()).toHaveLength(0);
    await h.store.db.updateTable('launches').set({ access_expires_at: Date.now() + 400 }).where('id', '=', launch.id).execute();
    expect(await freshAccessToken(launch, deps())).toBe('AT-1');
    // The new token came with expires_in 5: it is kept with its lifetime and not refreshed again at once.
    expect(await h.store.launches.getTokens(launch.id)).toMatchObject({ accessToken: 'AT-1', expiresInMs: 5_000 });
    expect(await freshAccessToken(launch, deps())).toBe('AT-1');
    expect(h.as.tokenRequests()).toHaveLength(1);
  });

  it('makes exactly one refresh for ten concurrent requests and rotates the refresh token', async () => {
    let n = 0;
    h.as.onToken(() => ({ delayMs: 50, body: { access_token: `AT-${++n}`, token_type: 'bearer', expires_in: 3600, refresh_token: `RT-${n}` } }));
    const launch = await launchExpiringIn(5_000);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => freshAccessToken(launch, deps())));
    expect(new Set(tokens)).toEqual(new Set(['AT-1']));
    expect(h.as.tokenRequests()).toHaveLength(1);
    expect(h.as.tokenRequests()[0]!.body.get('refresh_token')).toBe('RT-0');
    // A public client names itself in the body, and never asks for a scope on refresh (so never more than the grant).
    expect(h.as.tokenRequests()[0]!.body.get('client_id')).toBe('hc');
    expect(h.as.tokenRequests()[0]!.body.get('grant_type')).toBe('refresh_token');
    expect(h.as.tokenRequests()[0]!.body.has('scope')).toBe(false);
    expect((await h.store.launches.getTokens(launch.id))?.refreshToken).toBe('RT-1');

    // The next refresh sends the new refresh token; the old one is never sent again.
    await h.store.db.updateTable('launches').set({ access_expires_at: Date.now() + 1000 }).where('id', '=', launch.id).execute();
    expect(await freshAccessToken(launch, deps())).toBe('AT-2');
    expect(h.as.tokenRequests().map((r) => r.body.get('refresh_token'))).toEqual(['RT-0', 'RT-1']);
  });

  it('after a 401, refreshes again when the token that replaced the rejected one has run out too', async () => {
    h.as.onToken(() => ({ body: { access_token: 'AT-new', token_type: 'bearer', expires_in: 600, refresh_token: 'RT-new' } }));
    // AT-0 was rejected; meanwhile another request's refresh stored AT-0b, which has also expired by now.
    const launch = await launchExpiringIn(-1_000);
    await h.store.launches.replaceTokens(launch.id, { tokens: { accessToken: 'AT-0b', refreshToken: 'RT-0b', tokenType: 'bearer' }, accessExpiresAt: Date.now() - 500 }, 'RT-0');
    expect(await freshAccessToken(launch, deps(), 'AT-0')).toBe('AT-new');
    expect(h.as.tokenRequests().map((r) => r.body.get('refresh_token'))).toEqual(['RT-0b']);
  });

  it('keeps the old refresh token when the server does not rotate it', async () => {
    h.as.onToken(() => ({ body: { access_token: 'AT-new', token_type: 'bearer', expires_in: 600 } }));
    const launch = await launchExpiringIn(1_000);
    expect(await freshAccessToken(launch, deps())).toBe('AT-new');
    expect((await h.store.launches.getTokens(launch.id))?.refreshToken).toBe('RT-0');
  });

  it('refreshes once after a 401, and not again for a token already replaced', async () => {
    h.as.onToken(() => ({ body: { access_token: 'AT-after-401', token_type: 'bearer', expires_in: 600 } }));
    const launch = await launchExpiringIn(10 * 60_000);
    expect(await freshAccessToken(launch, deps(), 'AT-0')).toBe('AT-after-401');
    expect(await freshAccessToken(launch, deps(), 'AT-0')).toBe('AT-after-401');
    expect(h.as.tokenRequests()).toHaveLength(1);
  });

  it('ends the launch on invalid_grant, with no retry', async () => {
    h.as.onToken(() => ({ status: 400, body: { error: 'invalid_grant' } }));
    const launch = await launchExpiringIn(1_000);
    await expect(freshAccessToken(launch, deps())).rejects.toMatchObject({ code: 'launch_ended' });
    expect((await h.store.launches.getLaunch(launch.id))?.endReason).toBe('refresh-failed');
    await expect(freshAccessToken(launch, deps())).rejects.toBeInstanceOf(LaunchError);
    expect(h.as.tokenRequests()).toHaveLength(1);
  });

  it('keeps the launch when the token endpoint fails for a moment', async () => {
    h.as.onToken(() => ({ status: 503, body: { error: 'temporarily_unavailable' } }));
    const launch = await launchExpiringIn(1_000);
    await expect(freshAccessToken(launch, deps())).rejects.toMatchObject({ name: 'OperationProcessingError' }); // not launch_ended: may be retried
    expect((await h.store.launches.getLaunch(launch.id))?.endedAt).toBeNull();
    // The lease was let go: the next request may refresh at once.
    expect(await h.store.launches.tryAcquireRefreshLease(launch.id, 1_000)).toBe(true);
  });

  it('waits for another instance holding the lease instead of refreshing twice', async () => {
    const launch = await launchExpiringIn(1_000);
    expect(await h.store.launches.tryAcquireRefreshLease(launch.id, 20_000)).toBe(true); // "the other instance"
    setTimeout(() => void h.store.launches.replaceTokens(launch.id, { tokens: { accessToken: 'AT-other', refreshToken: 'RT-other', tokenType: 'bearer' }, accessExpiresAt: Date.now() + 600_000 }, 'RT-0'), 150);
    expect(await freshAccessToken(launch, deps())).toBe('AT-other');
    expect(h.as.tokenRequests()).toHaveLength(0);
  });

  it('ends a launch without a refresh token once its access token expired', async () => {
    const launch = await launchExpiringIn(-1_000, null);
    await expect(freshAccessToken(launch, deps())).rejects.toMatchObject({ code: 'launch_ended' });
  });
});

describe('endLaunchAndRevoke', () => {
  it('revokes the refresh and access tokens and ends the launch', async () => {
    const launch = await launchExpiringIn(600_000);
    await endLaunchAndRevoke(launch, 'signed-out', deps());
    const revoked = h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'));
    expect(revoked).toEqual(['RT-0', 'AT-0']);
    expect((await h.store.launches.getLaunch(launch.id))?.endReason).toBe('signed-out');
    expect(await h.store.launches.getTokens(launch.id)).toBeUndefined();
  });

  it('revokes the tokens a refresh stored just before the sign-out ended the launch, not the ones it replaced', async () => {
    const launch = await launchExpiringIn(600_000);
    const store = h.store.launches;
    // A refresh on another request lands at the last moment: after the sign-out started, before the launch ends.
    const racing = new Proxy(store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (name !== 'endLaunch' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          expect(await target.replaceTokens(launch.id, { tokens: { accessToken: 'AT-1', refreshToken: 'RT-1', tokenType: 'bearer' }, accessExpiresAt: Date.now() + 600_000 }, 'RT-0')).toBe('replaced');
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    await endLaunchAndRevoke(launch, 'signed-out', { store: racing, config });
    expect(h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'))).toEqual(['RT-1', 'AT-1']);
    expect(await store.getTokens(launch.id)).toBeUndefined();
    // Ending it again finds nothing left to revoke.
    expect(await store.endLaunch(launch.id, 'signed-out')).toBeUndefined();
  });

  it('still revokes the access token when the refresh token’s revocation is refused', async () => {
    const launch = await launchExpiringIn(600_000);
    h.as.onRevoke((token) => (token === 'RT-0' ? { status: 503, body: { error: 'temporarily_unavailable' } } : { status: 200, body: {} }));
    await endLaunchAndRevoke(launch, 'signed-out', deps());
    expect(h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'))).toEqual(['RT-0', 'AT-0']);
    expect((await h.store.launches.getLaunch(launch.id))?.endReason).toBe('signed-out');
  });
});
