/**
 * Callback edge cases from the SMART review (items 18, 19, 21, 22, 26, 29 and the RFC 9207 and
 * Epic id_token-issuer requirements): each asserts the exact outcome and what reached the
 * authorization server.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { beginLaunch } from './begin-launch';
import { completeLaunch } from './complete-launch';
import type { SmartConfig } from './config';
import { clearDiscoveryCache } from './discovery';
import { LaunchError } from './errors';
import { urlOf } from './test-authorization-server';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();
let config: SmartConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase);
});
beforeEach(() => {
  h.as.setDiscovery({});
});

async function start(cfg: SmartConfig = config, launch: string | null = 'L1') {
  const url = urlOf(await beginLaunch({ iss: h.as.fhirBase, launch, browserSessionId: 'sid-1', redirectUri: 'http://localhost:3000/redirect' }, { config: cfg, store: h.store.launches }));
  return { state: url.searchParams.get('state')!, nonce: url.searchParams.get('nonce')! };
}

const callback = (params: Record<string, string>) => new URL(`http://localhost:3000/redirect?${new URLSearchParams(params)}`);

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof LaunchError ? e.code : `unexpected ${String(e)}`;
  }
}

async function okTokens(nonce: string, extra: Record<string, unknown> = {}, iss?: string) {
  const idToken = await h.as.idToken({ nonce, fhirUser: 'Practitioner/prac-001', ...(iss ? { iss } : {}) });
  h.as.onToken(() => ({ body: { access_token: 'AT', token_type: 'bearer', expires_in: 300, id_token: idToken, patient: 'pat-001', scope: 'openid fhirUser launch patient/Observation.rs', ...extra } }));
}

describe('callback edge cases', () => {
  it('answers a callback with neither code nor error 400 missing_code, spends the state and sends no token request', async () => {
    const { state, nonce } = await start();
    await okTokens(nonce);
    const err = await completeLaunch({ callbackUrl: callback({ state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as LaunchError).code).toBe('missing_code');
    expect((err as LaunchError).status).toBe(400);
    expect(h.as.tokenRequests()).toHaveLength(0);
    // The state is consumed: the same callback with a code is now a replay.
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ state, code: 'c' }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe('state_replayed');
    expect(h.as.tokenRequests()).toHaveLength(0);
  });

  it('sends client_id in a form-encoded body and no Authorization header for a public client', async () => {
    const { state, nonce } = await start();
    await okTokens(nonce);
    await completeLaunch({ callbackUrl: callback({ code: 'c1', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    const req = h.as.tokenRequests()[0]!;
    expect(req.contentType).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(req.body.get('client_id')).toBe('hc');
    expect(req.body.get('code')).toBe('c1');
    expect(req.body.get('redirect_uri')).toBe('http://localhost:3000/redirect');
    expect(req.authorization).toBeUndefined();
  });

  it('answers invalid_client at the token endpoint with client_rejected, not a generic failure', async () => {
    const { state } = await start();
    h.as.onToken(() => ({ status: 401, body: { error: 'invalid_client', error_description: 'unknown client' } }));
    const err = await completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }).catch((e: unknown) => e);
    expect((err as LaunchError).code).toBe('client_rejected');
    expect((err as LaunchError).status).toBe(502);
    // Other token errors keep their code.
    const second = await start();
    h.as.onToken(() => ({ status: 400, body: { error: 'invalid_grant' } }));
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ code: 'c', state: second.state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe('token_exchange_failed');
  });

  it.each([
    ['enc-1', 'enc-1'],
    ['A.b-9', 'A.b-9'],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('stores a valid encounter id %s', async (encounter, expected) => {
    const { state, nonce } = await start();
    await okTokens(nonce, { encounter });
    const launch = await completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    expect(launch.encounterId).toBe(expected);
  });

  it.each([
    ['a reference instead of an id', 'Encounter/enc-1'],
    ['a path traversal', '../Patient/pat-002'],
    ['an id over 64 characters', 'x'.repeat(65)],
    ['an empty id', ''],
    ['a query', 'enc-1?_include=*'],
  ])('refuses an encounter that is %s with token_exchange_failed and no launch', async (_label, encounter) => {
    const { state, nonce } = await start();
    await okTokens(nonce, { encounter });
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe('token_exchange_failed');
  });

  it('ignores fhirContext, intent and tenant: they cannot change the patient, the encounter or anything stored', async () => {
    const { state, nonce } = await start();
    await okTokens(nonce, {
      encounter: 'enc-1',
      intent: 'reconcile-medications',
      tenant: 'other-tenant',
      fhirContext: [{ reference: 'Patient/pat-002' }, { reference: 'Encounter/enc-9' }, { reference: 'https://evil.example/fhir/Patient/x' }],
    });
    const launch = await completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    expect(launch).toMatchObject({ patientId: 'pat-001', encounterId: 'enc-1', fhirUser: 'Practitioner/prac-001' });
    const stored = await h.store.launches.getLaunch(launch.id);
    expect(JSON.stringify(stored)).not.toMatch(/pat-002|enc-9|evil\.example|other-tenant|reconcile/);
  });

  it('refuses an RFC 9207 iss parameter naming another server before any token request', async () => {
    const { state, nonce } = await start();
    await okTokens(nonce);
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ code: 'c', state, iss: 'https://evil.example' }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe('authorization_error');
    expect(h.as.tokenRequests()).toHaveLength(0);
    // The right iss is accepted.
    const second = await start();
    await okTokens(second.nonce);
    const launch = await completeLaunch({ callbackUrl: callback({ code: 'c', state: second.state, iss: h.as.base }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    expect(launch.patientId).toBe('pat-001');
  });

  it('expects the operator’s idTokenIssuer over the discovery issuer (Epic signs id_tokens as …/oauth2)', async () => {
    const oauth2 = `${h.as.base}/oauth2`;
    const epicLike = testConfig(h.as.fhirBase, { idTokenIssuer: oauth2 });
    // Discovery names the FHIR server as issuer; the id_token says …/oauth2.
    h.as.setDiscovery({ issuer: h.as.fhirBase });
    clearDiscoveryCache();
    const { state, nonce } = await start(epicLike);
    await okTokens(nonce, {}, oauth2);
    const launch = await completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config: epicLike, store: h.store.launches });
    expect(launch.fhirUser).toBe('Practitioner/prac-001');
    // Without the override the discovery issuer is expected, and the same token is refused.
    clearDiscoveryCache();
    const plain = await start();
    await okTokens(plain.nonce, {}, oauth2);
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ code: 'c', state: plain.state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe('id_token_invalid');
  });
});
