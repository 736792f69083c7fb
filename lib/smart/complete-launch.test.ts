import { beforeAll, describe, expect, it } from 'vitest';
import { patientDefault, restrictActor } from '../consent/build';
import { decideForType } from '../consent/enforce';
import { loadConsentContext } from '../consent/load-context';
import { beginLaunch } from './begin-launch';
import { completeLaunch } from './complete-launch';
import type { SmartConfig } from './config';
import { escapeHtml, renderErrorPage } from './error-page';
import { LaunchError } from './errors';
import { urlOf } from './test-authorization-server';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();
let config: SmartConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase, { clientAuth: { method: 'client_secret_basic', secretEnv: 'TEST_CLIENT_SECRET' } });
  process.env.TEST_CLIENT_SECRET = 'se cret/+';
});

async function start(sid = 'sid-1', launch: string | null = 'L1', cfg: SmartConfig = config) {
  const url = urlOf(await beginLaunch({ iss: h.as.fhirBase, launch, browserSessionId: sid, redirectUri: 'http://localhost:3000/redirect' }, { config: cfg, store: h.store.launches }));
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

describe('completeLaunch', () => {
  it('exchanges the code with PKCE and HTTP Basic, verifies the id_token and stores the launch', async () => {
    const { state, nonce } = await start();
    const idToken = await h.as.idToken({ nonce, fhirUser: 'Practitioner/prac-001' });
    h.as.onToken(() => ({ body: { access_token: 'AT', token_type: 'Bearer', expires_in: 300, refresh_token: 'RT', id_token: idToken, scope: 'launch openid patient/Observation.rs', patient: 'pat-001', encounter: 'enc-1', need_patient_banner: false } }));
    const launch = await completeLaunch({ callbackUrl: callback({ code: 'c1', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    expect(launch).toMatchObject({ patientId: 'pat-001', encounterId: 'enc-1', fhirUser: 'Practitioner/prac-001', needPatientBanner: false, workflow: 'clinician' });
    expect((await h.store.launches.getTokens(launch.id))?.refreshToken).toBe('RT');
    const tokenReq = h.as.tokenRequests()[0]!;
    expect(tokenReq.body.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(tokenReq.body.get('grant_type')).toBe('authorization_code');
    // Epic's rule: id and secret are form-URL-encoded before base64.
    expect(Buffer.from(tokenReq.authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe('hc:se+cret%2F%2B');
  });

  it.each([
    ['state_unknown', async () => ({ code: 'c', state: 'made-up-state' }), 'sid-1'],
    ['state_other_session', async () => ({ code: 'c', state: (await start('sid-1')).state }), 'sid-2'],
    ['session_missing', async () => ({ code: 'c', state: (await start('sid-1')).state }), null],
  ] as const)('refuses %s with no token request', async (expected, params, sid) => {
    const p = await params();
    expect(await codeOf(completeLaunch({ callbackUrl: callback(p), browserSessionId: sid }, { config, store: h.store.launches }))).toBe(expected);
    expect(h.as.tokenRequests()).toHaveLength(0);
  });

  it('refuses a replayed state with no second token request', async () => {
    const { state, nonce } = await start();
    const idToken = await h.as.idToken({ nonce, fhirUser: 'Practitioner/prac-001' });
    h.as.onToken(() => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: idToken, patient: 'pat-001' } }));
    await completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe('state_replayed');
    expect(h.as.tokenRequests()).toHaveLength(1);
  });

  it('shows an access_denied description as text, never markup', async () => {
    const { state } = await start();
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    let err: LaunchError | undefined;
    try {
      await completeLaunch({ callbackUrl: callback({ error: 'access_denied', error_description: hostile, state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches });
    } catch (e) {
      err = e as LaunchError;
    }
    expect(err?.code).toBe('authorization_denied');
    const html = renderErrorPage({ code: err!.code, correlationId: 'abc', detail: err!.detail });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(hostile));
    expect(h.as.tokenRequests()).toHaveLength(0);
  });

  const tokenCases: [string, (nonce: string) => Promise<{ status?: number; body?: unknown; raw?: string }>, string][] = [
    ['no access token', async (n) => ({ body: { token_type: 'bearer', id_token: await h.as.idToken({ nonce: n }), patient: 'pat-001' } }), 'token_exchange_failed'],
    ['another token type', async (n) => ({ body: { access_token: 'AT', token_type: 'mac', id_token: await h.as.idToken({ nonce: n }), patient: 'pat-001' } }), 'token_exchange_failed'],
    ['a body that is not JSON', async () => ({ raw: '<html>oops</html>' }), 'token_exchange_failed'],
    ['an OAuth error', async () => ({ status: 400, body: { error: 'invalid_grant' } }), 'token_exchange_failed'],
    ['an id_token with a bad signature', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n }, { wrongKey: true }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['an id_token with alg none', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n }, { algNone: true }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['an id_token for another audience', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n, aud: 'someone-else' }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['an expired id_token', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n, exp: Math.floor(Date.now() / 1000) - 3600, iat: Math.floor(Date.now() / 1000) - 7200 }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['an id_token from another issuer', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n, iss: 'https://evil.example' }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['an id_token signed with an unknown kid', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n }, { kid: 'k-unknown', wrongKey: true }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['an id_token with another nonce', async () => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: 'not-ours' }), patient: 'pat-001' } }), 'id_token_invalid'],
    ['no id_token at all', async () => ({ body: { access_token: 'AT', token_type: 'bearer', patient: 'pat-001' } }), 'id_token_invalid'],
    ['no patient context', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n }) } }), 'no_patient_context'],
    ['a patient id that is not FHIR id syntax', async (n) => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: await h.as.idToken({ nonce: n }), patient: '../Patient/x' } }), 'no_patient_context'],
  ];

  it.each(tokenCases)('rejects a token response with %s and stores no launch', async (_label, reply, expected) => {
    const { state, nonce } = await start();
    const r = await reply(nonce);
    h.as.onToken(() => ({ status: r.status, body: r.body, raw: r.raw }));
    expect(await codeOf(completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config, store: h.store.launches }))).toBe(expected);
    expect(await h.store.db.selectFrom('launches').selectAll().execute()).toHaveLength(0);
  });
});

describe('completeLaunch: who the user is (issue 10)', () => {
  /** Runs a launch whose id_token says `fhirUser` (left out when undefined) and whose token gives `patient`. */
  async function launchAs(fhirUser: string | undefined, options: { launch?: string | null; patient?: string; cfg?: SmartConfig } = {}) {
    const cfg = options.cfg ?? config;
    const { state, nonce } = await start('sid-1', options.launch === undefined ? 'L1' : options.launch, cfg);
    const idToken = await h.as.idToken(fhirUser === undefined ? { nonce } : { nonce, fhirUser });
    h.as.onToken(() => ({ body: { access_token: 'AT', token_type: 'bearer', refresh_token: 'RT', id_token: idToken, patient: options.patient ?? 'pat-001' } }));
    return completeLaunch({ callbackUrl: callback({ code: 'c', state }), browserSessionId: 'sid-1' }, { config: cfg, store: h.store.launches });
  }
  const launches = () => h.store.db.selectFrom('launches').selectAll().execute();

  it.each([
    ['the patient in context, standalone', 'Patient/pat-001', null, 'patient'],
    ['the patient in context, from an EHR launch', 'Patient/pat-001', 'L1', 'patient'],
    ['a practitioner signing in standalone (at the portal)', 'Practitioner/prac-001', null, 'clinician'],
    ['a practitioner role from an EHR launch', 'PractitionerRole/role-1', 'L1', 'clinician'],
  ] as const)('stores %s with the workflow its identity gives', async (_label, fhirUser, launch, workflow) => {
    const record = await launchAs(fhirUser, { launch });
    expect(record).toMatchObject({ workflow, fhirUser, patientId: 'pat-001' });
  });

  it('stores an absolute fhirUser under the issuer’s FHIR base as Type/id', async () => {
    const patient = await launchAs(`${h.as.fhirBase}/Patient/pat-001`, { launch: null });
    expect(patient).toMatchObject({ workflow: 'patient', fhirUser: 'Patient/pat-001' });
    const practitioner = await launchAs(`${h.as.fhirBase}/Practitioner/prac-001`);
    expect(practitioner).toMatchObject({ workflow: 'clinician', fhirUser: 'Practitioner/prac-001' });
  });

  it.each([
    ['an absolute fhirUser from another server', 'https://evil.example/fhir/Practitioner/prac-001', 'user_not_recognised'],
    ['a fhirUser of an unsupported type', 'Organization/org-1', 'user_not_recognised'],
    ['a fhirUser that is not Type/id', 'Practitioner/a/b', 'user_not_recognised'],
    ['another patient than the one in context', 'Patient/pat-002', 'user_not_recognised'],
    ['no fhirUser at all', undefined, 'user_not_recognised'],
    ['a related person (caregiver)', 'RelatedPerson/rel-001', 'caregiver_not_available'],
    ['a related person given as an absolute URL', 'ABSOLUTE:RelatedPerson/rel-001', 'caregiver_not_available'],
  ] as const)('refuses %s with %s and stores no launch', async (_label, claim, expected) => {
    const fhirUser = claim?.startsWith('ABSOLUTE:') ? `${h.as.fhirBase}/${claim.slice('ABSOLUTE:'.length)}` : claim;
    h.as.requests.length = 0;
    expect(await codeOf(launchAs(fhirUser, { launch: null }))).toBe(expected);
    expect(await launches()).toHaveLength(0);
    // The tokens issued for this user are handed back at once.
    expect(h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'))).toEqual(['RT', 'AT']);
  });

  it('takes a standalone login without fhirUser as the patient only where the issuer says its standalone logins are', async () => {
    const patientPortal = testConfig(h.as.fhirBase, { standaloneUserIsPatient: true });
    expect(await launchAs(undefined, { launch: null, cfg: patientPortal })).toMatchObject({ workflow: 'patient', fhirUser: 'Patient/pat-001' });
    expect(await codeOf(launchAs(undefined, { launch: 'L1', cfg: patientPortal }))).toBe('user_not_recognised');
    expect(await codeOf(launchAs(undefined, { launch: null }))).toBe('user_not_recognised');
  });

  it('keeps a patient’s restriction of a practitioner when the EHR sends an absolute fhirUser', async () => {
    const record = await launchAs(`${h.as.fhirBase}/Practitioner/prac-001`);
    const consents = [restrictActor({ patientId: 'pat-001', id: 'c-1', actor: 'Practitioner/prac-001' })];
    const ctx = await loadConsentContext(record, { listForPatient: async () => consents } as never, new Date());
    expect(ctx?.actor.reference).toBe('Practitioner/prac-001');
    expect(decideForType(ctx!, 'Observation', 'access').decision).toBe('deny');
  });

  it('lets a patient whose own default is deny see their own record when the EHR sends an absolute fhirUser', async () => {
    const record = await launchAs(`${h.as.fhirBase}/Patient/pat-001`, { launch: null });
    const consents = [patientDefault({ patientId: 'pat-001', id: 'c-2', rule: 'deny' })];
    const ctx = await loadConsentContext(record, { listForPatient: async () => consents } as never, new Date());
    const decision = decideForType(ctx!, 'Observation', 'access');
    expect(decision.decision).toBe('permit');
    expect(decision.reasons).toContain('patient-self');
  });
});
