/** Fault knobs of the authorization endpoint and discovery, asserted on what a client receives. */
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
  setKnobs,
  useTestSandbox,
  tokenRequest,
} from './test-support';

const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;
const PATIENT = FIXTURE_PATIENTS[6]!.id;
const SCOPE = 'launch openid fhirUser offline_access patient/Observation.rs patient/Condition.rs patient/Condition.read';

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s), { resetKnobs: 'after-each' });

/** EHR launch → authorize; returns where the browser was sent (the app's redirect URI or an error page). */
async function authorize(scope = SCOPE) {
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
  const { verifier, challenge } = pkcePair();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const result = await browser.follow(authorizeUrl(sandbox, { scope, launch, challenge, state }), HOUSECALL_REDIRECT);
  return { ...result, verifier, state };
}

function exchange(code: string, verifier: string) {
  return tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT });
}

describe('rejectClient', () => {
  it('shows an invalid_client error page at the authorization endpoint and never redirects', async () => {
    await setKnobs(sandbox, { rejectClient: true });
    const { url, response } = await authorize();
    expect(url.pathname).toBe('/oidc/auth');
    expect(response?.status).toBe(400);
    expect(await response!.text()).toMatch(/data-testid="oauth-error">invalid_client</);
    expect((await getStats(sandbox)).faults.rejectClient).toBe(1);
  });

  it('answers 401 invalid_client at the token endpoint, without using up the code', async () => {
    const { url, verifier } = await authorize();
    const code = url.searchParams.get('code')!;
    await setKnobs(sandbox, { rejectClient: { count: 1 } });
    const refused = await exchange(code, verifier);
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe('invalid_client');
    expect((await exchange(code, verifier)).status).toBe(200);
  });

  it('leaves clients that are not listed alone', async () => {
    await setKnobs(sandbox, { rejectClient: { clients: ['conformance'] } });
    const { url } = await authorize();
    expect(url.href.startsWith(HOUSECALL_REDIRECT)).toBe(true);
    expect(url.searchParams.get('code')).toBeTruthy();
  });
});

describe('narrowScopes', () => {
  it('grants less than was asked, in the token response and in what the token allows', async () => {
    await setKnobs(sandbox, { narrowScopes: ['patient/Condition.rs', 'patient/Condition.read'] });
    const { url, verifier } = await authorize();
    const { status, json } = await exchange(url.searchParams.get('code')!, verifier);
    expect(status).toBe(200);
    const granted = String(json.scope).split(' ');
    expect(granted).toContain('patient/Observation.rs');
    expect(granted).not.toContain('patient/Condition.rs');
    expect(granted).not.toContain('patient/Condition.read');
    expect((await sandbox.auth.introspect(String(json.access_token)))?.scope).toBe('patient/Observation.rs');

    const refreshed = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(json.refresh_token) });
    expect(String(refreshed.json.scope).split(' ')).not.toContain('patient/Condition.rs');
  });

  it('can take away offline_access, and with it the refresh token', async () => {
    await setKnobs(sandbox, { narrowScopes: { scopes: ['offline_access'], count: 1 } });
    const { url, verifier } = await authorize();
    const { json } = await exchange(url.searchParams.get('code')!, verifier);
    expect(json.access_token).toBeTruthy();
    expect(json.refresh_token).toBeUndefined();
    expect(String(json.scope).split(' ')).not.toContain('offline_access');
    // One authorization, one firing: the withheld scope does not send the user back to consent.
    expect((await getStats(sandbox)).faults.narrowScopes).toBe(1);
  });
});

describe('denyWithDescription', () => {
  const HOSTILE = '<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>';

  it('ends the authorization with access_denied and the description verbatim', async () => {
    await setKnobs(sandbox, { denyWithDescription: HOSTILE });
    const { url, state } = await authorize();
    expect(url.href.startsWith(HOUSECALL_REDIRECT)).toBe(true);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('error_description')).toBe(HOSTILE);
    expect(url.searchParams.get('state')).toBe(state);
    expect(url.searchParams.get('code')).toBeNull();
  });

  it('fires as often as its count says, for a standalone launch too', async () => {
    await setKnobs(sandbox, { denyWithDescription: { description: 'No.', count: 1 } });
    const browser = new TestBrowser();
    const { challenge } = pkcePair();
    const first = await browser.follow(authorizeUrl(sandbox, { scope: 'launch/patient openid patient/*.rs', challenge }), HOUSECALL_REDIRECT);
    expect(first.url.searchParams.get('error_description')).toBe('No.');
    const second = await authorize();
    expect(second.url.searchParams.get('code')).toBeTruthy();
  });
});

describe('discovery', () => {
  const discover = (signal?: AbortSignal) => fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`, signal ? { signal } : {});

  it('answers with the status asked for', async () => {
    await setKnobs(sandbox, { discovery: { status: 503 } });
    const response = await discover();
    expect(response.status).toBe(503);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers with a raw body: not JSON, or JSON without the endpoints', async () => {
    await setKnobs(sandbox, { discovery: { body: '<html>maintenance</html>', count: 1 } });
    const html = await discover();
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await html.text()).toBe('<html>maintenance</html>');

    await setKnobs(sandbox, { discovery: { body: '{"capabilities":[]}' } });
    const json = (await (await discover()).json()) as Record<string, unknown>;
    expect(json).toEqual({ capabilities: [] });
  });

  it('delays the answer, long enough for a client to time out', async () => {
    await setKnobs(sandbox, { discovery: { delayMs: 250, count: 1 } });
    const started = performance.now();
    const slow = await discover();
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(((await slow.json()) as { token_endpoint?: string }).token_endpoint).toBe(sandbox.auth.endpoints.token);

    await setKnobs(sandbox, { discovery: { delayMs: 600_000 } });
    await expect(discover(AbortSignal.timeout(200))).rejects.toThrow(/aborted|timeout/i);
  });
});
