/** Fault knobs and counters of the token endpoint, asserted on what a client receives. */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../fixtures/index';
import type { RunningSandbox } from '../main';
import {
  HOUSECALL_REDIRECT,
  TestBrowser,
  authorizeUrl,
  ehrLaunch,
  getStats,
  pkcePair,
  resetKnobs,
  setKnobs,
  useTestSandbox,
  tokenRequest,
} from './test-support';

const PRACTITIONER = FIXTURE_PRACTITIONERS[1]!.id;
const PATIENT = FIXTURE_PATIENTS[7]!.id;
const SCOPE = 'launch openid fhirUser offline_access patient/*.rs';

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s), { resetKnobs: 'before-each' });

async function codeAndVerifier() {
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
  const { verifier, challenge } = pkcePair();
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope: SCOPE, launch, challenge }), HOUSECALL_REDIRECT);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code: ${url.href}`);
  return { code, verifier };
}

function exchange(code: string, verifier: string) {
  return tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT });
}

function refresh(token: unknown) {
  return tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(token) });
}

async function tokens() {
  const { code, verifier } = await codeAndVerifier();
  const { status, json } = await exchange(code, verifier);
  expect(status).toBe(200);
  return json;
}

describe('tokenEndpoint', () => {
  it('fails the next N requests with the status, then works, and the code survives', async () => {
    const { code, verifier } = await codeAndVerifier();
    await setKnobs(sandbox, { tokenEndpoint: { status: 500, count: 1 } });
    const failed = await exchange(code, verifier);
    expect(failed.status).toBe(500);
    expect(failed.json.error).toBe('server_error');
    const retried = await exchange(code, verifier);
    expect(retried.status).toBe(200);
    expect(retried.json.access_token).toBeTruthy();
    expect((await getStats(sandbox)).faults.tokenEndpoint).toBe(1);
  });

  it('answers a raw body that is not JSON', async () => {
    await setKnobs(sandbox, { tokenEndpoint: { status: 502, body: '<html>Bad gateway</html>', contentType: 'text/html' } });
    const response = await fetch(sandbox.auth.endpoints.token, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>Bad gateway</html>');
  });

  it('only delays when it has no status or body', async () => {
    const { code, verifier } = await codeAndVerifier();
    await setKnobs(sandbox, { tokenEndpoint: { delayMs: 250, count: 1 } });
    const started = performance.now();
    const { status } = await exchange(code, verifier);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(status).toBe(200);
  });

  it('picks out a public client by the client_id in the form body', async () => {
    await setKnobs(sandbox, { tokenEndpoint: { status: 503, clients: ['conformance'] } });
    const bogus = { grant_type: 'authorization_code', code: 'not-a-code', code_verifier: 'x'.repeat(43), redirect_uri: `${sandbox.origin}/conformance/app.html` };
    const publicClient = await tokenRequest(sandbox, bogus, 'conformance');
    expect(publicClient.status).toBe(503);
    expect(publicClient.json.error).toBe('temporarily_unavailable');
    // Not listed: oidc-provider handles it as usual.
    expect((await tokenRequest(sandbox, { ...bogus, redirect_uri: HOUSECALL_REDIRECT })).json.error).toBe('invalid_grant');
  });

  it('hands a body it had to read to oidc-provider intact', async () => {
    await setKnobs(sandbox, { tokenEndpoint: { status: 503, clients: ['someone-else'] } });
    const { code, verifier } = await codeAndVerifier();
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT };
    // The confidential client authenticates in the body here, so the knob must read it first.
    const response = await fetch(sandbox.auth.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_id: 'conformance' }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(400);
    // The code belongs to housecall: a parsed body gets this far, an unreadable one would not.
    expect(json.error).toBe('invalid_grant');
  });
});

describe('omitPatient', () => {
  it('leaves patient and encounter out of token responses, as long as it is on', async () => {
    await setKnobs(sandbox, { omitPatient: { count: 1 } });
    const first = await tokens();
    expect(first.access_token).toBeTruthy();
    expect(first).not.toHaveProperty('patient');
    expect(first).not.toHaveProperty('encounter');
    expect(String(first.scope)).toContain('patient/*.rs');
    const refreshed = await refresh(first.refresh_token);
    expect(refreshed.json.patient).toBe(PATIENT);
  });
});

describe('accessTokenTtlSeconds', () => {
  it('sets expires_in and the real expiry for code and refresh grants', async () => {
    await setKnobs(sandbox, { accessTokenTtlSeconds: 7 });
    const first = await tokens();
    expect(first.expires_in).toBe(7);
    const info = await sandbox.auth.introspect(String(first.access_token));
    expect(info!.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(7);

    await setKnobs(sandbox, { accessTokenTtlSeconds: 11 });
    const refreshed = await refresh(first.refresh_token);
    expect(refreshed.json.expires_in).toBe(11);
    const after = await sandbox.auth.introspect(String(refreshed.json.access_token));
    expect(after!.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(7);
  });
});

describe('rejectRefresh', () => {
  it('fails the next refresh with invalid_grant without using up the refresh token', async () => {
    const first = await tokens();
    await setKnobs(sandbox, { rejectRefresh: true });
    const refused = await refresh(first.refresh_token);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('invalid_grant');
    const knobs = (await (await fetch(`${sandbox.origin}/_knobs`)).json()) as Record<string, unknown>;
    expect(knobs.rejectRefresh).toBeNull();

    const retried = await refresh(first.refresh_token);
    expect(retried.status).toBe(200);
    expect((await getStats(sandbox)).rotatedRefreshTokenReuse).toBe(0);
  });

  it('fails every refresh of the listed clients when given a filter without a count', async () => {
    const first = await tokens();
    await setKnobs(sandbox, { rejectRefresh: { clients: ['housecall'] } });
    expect((await refresh(first.refresh_token)).json.error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token)).json.error).toBe('invalid_grant');
    expect((await getStats(sandbox)).faults.rejectRefresh).toBe(2);
  });
});

describe('stats', () => {
  it('count token requests by grant type and client, rotations, and no reuse for a good client', async () => {
    let current = await tokens();
    for (let i = 0; i < 2; i += 1) {
      const next = await refresh(current.refresh_token);
      expect(next.status).toBe(200);
      current = next.json;
    }
    const stats = await getStats(sandbox);
    expect(stats.tokenRequests).toEqual({ authorization_code: 1, refresh_token: 2 });
    expect(stats.tokenRequestsByClient).toEqual({ housecall: { authorization_code: 1, refresh_token: 2 } });
    expect(stats.refreshTokenRotations).toBe(2);
    expect(stats.rotatedRefreshTokenReuse).toBe(0);
  });

  it('count every presentation of a refresh token that was already rotated', async () => {
    const first = await tokens();
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect((await refresh(first.refresh_token)).json.error).toBe('invalid_grant');
    expect((await refresh(first.refresh_token)).json.error).toBe('invalid_grant');
    const stats = await getStats(sandbox);
    expect(stats.rotatedRefreshTokenReuse).toBe(2);
    expect(stats.tokenRequests.refresh_token).toBe(3);

    await resetKnobs(sandbox);
    expect(await getStats(sandbox)).toEqual({ tokenRequests: {}, tokenRequestsByClient: {}, refreshTokenRotations: 0, rotatedRefreshTokenReuse: 0, faults: {} });
  });
});
