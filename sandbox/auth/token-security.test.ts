/** One test per attack on the code and refresh grants, each asserting the exact OAuth error. */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../fixtures/index';
import type { RunningSandbox } from '../main';
import {
  HOUSECALL_REDIRECT,
  TestBrowser,
  authorizeUrl,
  ehrLaunch,
  pkcePair,
  useTestSandbox,
  tokenRequest,
} from './test-support';

const PRACTITIONER = FIXTURE_PRACTITIONERS[1]!.id;
const PATIENT = FIXTURE_PATIENTS[2]!.id;
const SCOPE = 'launch openid fhirUser offline_access patient/Observation.rs';

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s));

async function authorize(overrides: { challenge?: string | null; challengeMethod?: string | null; redirectUri?: string } = {}) {
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(sandbox, { scope: SCOPE, launch, challenge, ...overrides });
  const result = await browser.follow(url, overrides.redirectUri ?? HOUSECALL_REDIRECT);
  return { ...result, verifier };
}

async function codeAndVerifier() {
  const { url, verifier } = await authorize();
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code: ${url.href}`);
  return { code, verifier };
}

function exchange(code: string, verifier: string, redirectUri = HOUSECALL_REDIRECT) {
  return tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });
}

describe('PKCE', () => {
  it('refuses an authorization request without a code challenge', async () => {
    const { url } = await authorize({ challenge: null, challengeMethod: null });
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses the plain method', async () => {
    const { url } = await authorize({ challenge: 'a'.repeat(43), challengeMethod: 'plain' });
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('error_description')).toMatch(/code_challenge_method/);
  });

  it('refuses a code exchanged with the wrong verifier', async () => {
    const { code } = await codeAndVerifier();
    const { status, json } = await exchange(code, pkcePair().verifier);
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_grant');
  });
});

describe('redirect URI', () => {
  it('never redirects to an unregistered redirect_uri', async () => {
    const { response, url } = await authorize({ redirectUri: 'http://localhost:39999/redirect/evil' });
    expect(response?.status).toBe(400);
    expect(url.pathname).toBe('/oidc/auth');
    expect(await response!.text()).toContain('redirect_uri did not match');
  });

  it('refuses a code exchanged with a different redirect_uri', async () => {
    const { code, verifier } = await codeAndVerifier();
    const { status, json } = await exchange(code, verifier, 'http://localhost:39999/other');
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_grant');
  });

  it('refuses a code exchange that omits redirect_uri', async () => {
    const { code, verifier } = await codeAndVerifier();
    const { status, json } = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier });
    expect(status).toBe(400);
    expect(json.error).toBe('invalid_request');
  });
});

describe('client authentication', () => {
  it('refuses the confidential client with a wrong secret', async () => {
    const { code, verifier } = await codeAndVerifier();
    const response = await fetch(sandbox.auth.endpoints.token, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('housecall:wrong-secret-wrong-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });
});

describe('single-use codes', () => {
  it('refuses a replayed code and revokes what the first exchange issued', async () => {
    const { code, verifier } = await codeAndVerifier();
    const first = await exchange(code, verifier);
    expect(first.status).toBe(200);
    expect(await sandbox.auth.introspect(String(first.json.access_token))).not.toBeNull();

    const replay = await exchange(code, verifier);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    expect(await sandbox.auth.introspect(String(first.json.access_token))).toBeNull();
  });
});

describe('refresh tokens', () => {
  it('rotate, keep the launch context, and a reused one revokes the grant', async () => {
    const { code, verifier } = await codeAndVerifier();
    const first = (await exchange(code, verifier)).json;
    const oldRefresh = String(first.refresh_token);

    const refreshed = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: oldRefresh });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ patient: PATIENT, need_patient_banner: false, encounter: first.encounter });
    expect(String(refreshed.json.scope).split(' ')).toEqual(expect.arrayContaining(SCOPE.split(' ')));
    const newRefresh = String(refreshed.json.refresh_token);
    expect(newRefresh).not.toBe(oldRefresh);
    const info = await sandbox.auth.introspect(String(refreshed.json.access_token));
    expect(info).toMatchObject({ patient: PATIENT, scope: 'patient/Observation.rs' });

    const reuse = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: oldRefresh });
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
    // Replay means theft: the whole grant goes, including the newest tokens.
    const after = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: newRefresh });
    expect(after.json.error).toBe('invalid_grant');
    expect(await sandbox.auth.introspect(String(refreshed.json.access_token))).toBeNull();
  });

  it('are revoked at the revocation endpoint', async () => {
    const { code, verifier } = await codeAndVerifier();
    const tokens = (await exchange(code, verifier)).json;
    const response = await fetch(sandbox.auth.endpoints.revoke, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('housecall:test-secret-for-the-sandbox-only').toString('base64')}`,
      },
      body: new URLSearchParams({ token: String(tokens.refresh_token), token_type_hint: 'refresh_token' }),
    });
    expect(response.status).toBe(200);
    const after = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(tokens.refresh_token) });
    expect(after.json.error).toBe('invalid_grant');
  });

  it('are not issued without offline_access or online_access', async () => {
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
    const { verifier, challenge } = pkcePair();
    const { url } = await browser.follow(
      authorizeUrl(sandbox, { scope: 'launch patient/*.rs', launch, challenge }),
      HOUSECALL_REDIRECT,
    );
    const { json } = await exchange(url.searchParams.get('code')!, verifier);
    expect(json.access_token).toBeTruthy();
    expect(json.refresh_token).toBeUndefined();
  });

  it('are issued for online_access', async () => {
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
    const { verifier, challenge } = pkcePair();
    const { url } = await browser.follow(
      authorizeUrl(sandbox, { scope: 'launch online_access patient/*.rs', launch, challenge }),
      HOUSECALL_REDIRECT,
    );
    const { json } = await exchange(url.searchParams.get('code')!, verifier);
    expect(typeof json.refresh_token).toBe('string');
    expect(String(json.scope).split(' ')).toContain('online_access');
  });
});
