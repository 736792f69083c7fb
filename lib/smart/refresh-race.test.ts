/**
 * The refresh across instances (issue 10, "Sessions and tokens"): one refresh however many
 * callers and instances, each refresh token sent once, nothing stored on an ended launch, the
 * returned scope and id_token taken in (and checked), and a second 401 ending the launch.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { LaunchStore, openSqliteStore, StoreKey, type LaunchRecord } from '../store';
import { STORE_ADAPTERS } from '../store/test-stores';
import type { SmartConfig } from './config';
import { freshAccessToken, LONGEST_REFRESH_MS, sendWithFreshToken } from './refresh';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();
let config: SmartConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase);
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function newLaunch(id: string, expiresInMs: number, extra: { idToken?: string } = {}) {
  return {
    id, browserSessionId: 's', issuerId: 'test', workflow: 'clinician' as const, patientId: 'pat-001', encounterId: null, fhirUser: null,
    scope: 'openid patient/Observation.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + expiresInMs,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer', ...extra },
  };
}

/** A rotating token endpoint: every refresh gets AT-n and RT-n, after `delayMs`. */
function rotating(delayMs = 40) {
  let n = 0;
  h.as.onToken(() => ({ delayMs, body: { access_token: `AT-${++n}`, token_type: 'bearer', expires_in: 3600, refresh_token: `RT-${n}` } }));
}

const sentRefreshTokens = () => h.as.tokenRequests().map((r) => r.body.get('refresh_token'));

/** A LaunchStore whose lease attempts wait for `delay()` first: a slow instance, or a gate the test opens. */
function slowLease(store: LaunchStore, delay: () => Promise<void>): LaunchStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'tryAcquireRefreshLease') return async (id: string, ms: number) => { await delay(); return target.tryAcquireRefreshLease(id, ms); };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('refresh single-flight across instances', () => {
  it('an instance whose refresh runs long, within its timeouts, keeps the lease: no other instance sends the same refresh token meanwhile', async () => {
    let clock = Date.now();
    const key = StoreKey.ephemeral();
    const db = await openSqliteStore(':memory:', key);
    const a = new LaunchStore(db.db, key, () => clock);
    const b = new LaunchStore(db.db, key, () => clock);
    // A's token request is out while 25 s pass (a slow EHR; each step is within its timeout, LONGEST_REFRESH_MS in all).
    h.as.onToken(() => {
      clock += 25_000;
      return { delayMs: 800, body: { access_token: 'AT-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'RT-1' } };
    });
    const launch = await a.createLaunch(newLaunch('long-refresh-abcdefgh', 1_000));
    const first = freshAccessToken(launch, { store: a, config });
    await expect.poll(() => h.as.tokenRequests().length).toBe(1);
    // B tries the lease while A's answer is still on its way (were the lease expired, B would send RT-0 again).
    const second = freshAccessToken(launch, { store: b, config });
    expect(await first).toBe('AT-1');
    expect(await second).toBe('AT-1');
    expect(sentRefreshTokens()).toEqual(['RT-0']);
    expect(LONGEST_REFRESH_MS).toBeGreaterThan(25_000);
    await db.close();
  });

  it('a caller whose snapshot predates another instance’s finished refresh uses the new token and does not spend the old refresh token (review P4)', async () => {
    rotating(60);
    const key = StoreKey.ephemeral();
    const db = await openSqliteStore(':memory:', key);
    const a = new LaunchStore(db.db, key);
    let releaseB!: () => void;
    const gate = new Promise<void>((r) => (releaseB = r));
    const b = slowLease(new LaunchStore(db.db, key), () => gate); // B read its tokens, then stalls before the lease
    const launch = await a.createLaunch(newLaunch('P4-launch-abcdefgh', 1_000));
    const first = freshAccessToken(launch, { store: a, config });
    const second = freshAccessToken(launch, { store: b, config });
    expect(await first).toBe('AT-1'); // A refreshed and released the lease
    releaseB();
    expect(await second).toBe('AT-1');
    expect(sentRefreshTokens()).toEqual(['RT-0']);
    expect((await a.getTokens(launch.id))?.refreshToken).toBe('RT-1');
    await db.close();
  });

  it('property: any interleaving of 20 requests over three instances makes one refresh and sends each refresh token once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ instance: fc.integer({ min: 0, max: 2 }), startMs: fc.integer({ min: 0, max: 60 }), leaseMs: fc.integer({ min: 0, max: 80 }) }), { minLength: 20, maxLength: 20 }),
        async (requests) => {
          h.as.requests.length = 0;
          rotating(30);
          const key = StoreKey.ephemeral();
          const db = await openSqliteStore(':memory:', key);
          const instances = [0, 1, 2].map(() => new LaunchStore(db.db, key));
          const launch = await instances[0]!.createLaunch(newLaunch('prop-launch-abcdefgh', 1_000));
          const stores = requests.map((r) => slowLease(instances[r.instance]!, () => sleep(r.leaseMs)));
          const tokens = await Promise.all(requests.map(async (r, i) => {
            await sleep(r.startMs);
            return freshAccessToken(launch, { store: stores[i]!, config });
          }));
          await db.close();
          expect(new Set(tokens)).toEqual(new Set(['AT-1']));
          expect(sentRefreshTokens()).toEqual(['RT-0']);
        },
      ),
      { numRuns: 12 },
    );
  });

  const postgres = STORE_ADAPTERS.find((a) => a.name === 'postgres');
  it.runIf(postgres)('three instances on PostgreSQL, 20 concurrent requests at expiry: exactly one refresh, no refresh token reused', async () => {
    rotating(50);
    const instances = await postgres!.openShared(StoreKey.ephemeral(), 3);
    const launch: LaunchRecord = await instances[0]!.launches.createLaunch(newLaunch('pg-launch-abcdefgh', 2_000));
    // Each instance is slow to take the lease by a different amount, so some callers read their
    // tokens before the winner's refresh finished and ask for the lease after it.
    const stores = instances.map((s, i) => slowLease(s.launches, () => sleep(i * 45)));
    const tokens = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      await sleep((i * 7) % 60);
      return freshAccessToken(launch, { store: stores[i % 3]!, config });
    }));
    expect(new Set(tokens)).toEqual(new Set(['AT-1']));
    expect(h.as.tokenRequests()).toHaveLength(1);
    expect(sentRefreshTokens()).toEqual(['RT-0']);
    expect((await instances[2]!.launches.getTokens(launch.id))?.refreshToken).toBe('RT-1');
  });
});

describe('what a refresh brings back', () => {
  it('is not stored on a launch that ended meanwhile, and is revoked at the EHR', async () => {
    rotating(120);
    const launch = await h.store.launches.createLaunch(newLaunch('ended-launch-abcdefgh', 1_000));
    const refreshing = freshAccessToken(launch, { store: h.store.launches, config });
    await sleep(40);
    await h.store.launches.endLaunch(launch.id, 'signed-out');
    await expect(refreshing).rejects.toMatchObject({ code: 'launch_ended' });
    expect(await h.store.launches.getTokens(launch.id)).toBeUndefined();
    expect(h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'))).toEqual(['RT-1', 'AT-1']);
    expect((await h.store.launches.getLaunch(launch.id))?.endReason).toBe('signed-out');
  });

  it('replaces the stored grant with the scope it returns, and keeps it when none is returned', async () => {
    h.as.onToken(() => ({ body: { access_token: 'AT-1', token_type: 'bearer', expires_in: 60 * 60, scope: 'openid patient/Observation.rs?category=laboratory' } }));
    const launch = await h.store.launches.createLaunch(newLaunch('scope-launch-abcdefgh', 1_000));
    await freshAccessToken(launch, { store: h.store.launches, config });
    expect((await h.store.launches.getLaunch(launch.id))?.scope).toBe('openid patient/Observation.rs?category=laboratory');
    h.as.onToken(() => ({ body: { access_token: 'AT-2', token_type: 'bearer', expires_in: 60 * 60 } }));
    await freshAccessToken(launch, { store: h.store.launches, config }, 'AT-1');
    expect((await h.store.launches.getLaunch(launch.id))?.scope).toBe('openid patient/Observation.rs?category=laboratory');
  });

  it('stores an id_token that verifies like the first one', async () => {
    const first = await h.as.idToken({});
    const renewed = await h.as.idToken({ fhirUser: 'Practitioner/prac-001' });
    h.as.onToken(() => ({ body: { access_token: 'AT-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'RT-1', id_token: renewed } }));
    const launch = await h.store.launches.createLaunch(newLaunch('idt-ok-launch-abcdefgh', 1_000, { idToken: first }));
    expect(await freshAccessToken(launch, { store: h.store.launches, config })).toBe('AT-1');
    expect((await h.store.launches.getTokens(launch.id))?.idToken).toBe(renewed);
  });

  it.each([
    ['signed with a key not in the issuer’s JWKS', { wrongKey: true }, {}],
    ['with alg none', { algNone: true }, {}],
    ['for another client', {}, { aud: 'someone-else' }],
    ['expired', {}, { exp: Math.floor(Date.now() / 1000) - 600 }],
    ['from another issuer', {}, { iss: 'https://elsewhere.example' }],
    ['for another user', {}, { sub: 'user-2' }],
  ] as const)('ends the launch on an id_token %s, storing nothing and revoking what came back', async (_name, options, claims) => {
    const first = await h.as.idToken({});
    const bad = await h.as.idToken(claims, options);
    h.as.onToken(() => ({ body: { access_token: 'AT-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'RT-1', id_token: bad } }));
    const launch = await h.store.launches.createLaunch(newLaunch(`idt-bad-${Math.random().toString(36).slice(2)}-abcdefgh`, 1_000, { idToken: first }));
    await expect(freshAccessToken(launch, { store: h.store.launches, config })).rejects.toMatchObject({ code: 'launch_ended' });
    expect((await h.store.launches.getLaunch(launch.id))?.endReason).toBe('refresh-failed');
    expect(await h.store.launches.getTokens(launch.id)).toBeUndefined();
    expect(h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'))).toEqual(['RT-1', 'AT-1']);
  });
});

describe('sendWithFreshToken', () => {
  it('refreshes once on a 401 and retries; a second 401 ends the launch (token-rejected) and later requests refresh no more', async () => {
    rotating(0);
    const launch = await h.store.launches.createLaunch(newLaunch('401-launch-abcdefgh', 10 * 60_000));
    const deps = { store: h.store.launches, config };
    const sent: string[] = [];
    const always401 = async (token: string) => { sent.push(token); return { status: 401 }; };
    await expect(sendWithFreshToken(launch, deps, always401)).rejects.toMatchObject({ code: 'launch_ended' });
    expect(sent).toEqual(['AT-0', 'AT-1']);
    expect((await h.store.launches.getLaunch(launch.id))?.endReason).toBe('token-rejected');
    await expect(sendWithFreshToken(launch, deps, always401)).rejects.toMatchObject({ code: 'launch_ended' });
    expect(sent).toHaveLength(2);
    expect(h.as.tokenRequests()).toHaveLength(1);
  });

  it('keeps the launch when the retry succeeds', async () => {
    rotating(0);
    const launch = await h.store.launches.createLaunch(newLaunch('401-ok-launch-abcdefgh', 10 * 60_000));
    const answer = await sendWithFreshToken(launch, { store: h.store.launches, config }, async (token) => ({ status: token === 'AT-0' ? 401 : 200 }));
    expect(answer.status).toBe(200);
    expect((await h.store.launches.getLaunch(launch.id))?.endedAt).toBeNull();
  });
});
