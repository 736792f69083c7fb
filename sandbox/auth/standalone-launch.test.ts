import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../fixtures/index';
import type { RunningSandbox } from '../main';
import { HOUSECALL_REDIRECT, TestBrowser, authorizeUrl, pkcePair, tokenRequest, useTestSandbox } from './test-support';

const PATIENT = FIXTURE_PATIENTS[3]!;
const OTHER_PATIENT = FIXTURE_PATIENTS[4]!;
const PRACTITIONER = FIXTURE_PRACTITIONERS[2]!;
const SCOPE = 'launch/patient openid fhirUser offline_access patient/*.rs user/*.rs';

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s));

/** Starts a standalone authorization and returns the sign-in page's URL. */
async function startStandalone(browser: TestBrowser, scope = SCOPE) {
  const { verifier, challenge } = pkcePair();
  const state = 'standalone-state-0123456789';
  const { url, response } = await browser.follow(authorizeUrl(sandbox, { scope, challenge, state }), HOUSECALL_REDIRECT);
  expect(response?.status).toBe(200);
  expect(url.pathname).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
  const html = await response!.text();
  expect(html).toContain('data-testid="login-account"');
  return { interaction: url, verifier, state };
}

/** Chooses an account on the sign-in page and returns the consent page's HTML. */
async function chooseAccount(browser: TestBrowser, interaction: URL, accountId: string) {
  const response = await browser.request(`${interaction.href}?account=${accountId}`);
  expect(response.status).toBe(200);
  return response.text();
}

async function answer(browser: TestBrowser, interaction: URL, fields: Record<string, string>) {
  const response = await browser.request(`${interaction.href}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const location = response.headers.get('location');
  if (!location) return { response, url: undefined };
  const { url } = await browser.follow(new URL(location, interaction), HOUSECALL_REDIRECT);
  return { response, url };
}

function exchange(code: string, verifier: string) {
  return tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT });
}

describe('standalone launch', () => {
  it('gives a patient their own record as patient context, with the banner', async () => {
    const browser = new TestBrowser();
    const { interaction, verifier, state } = await startStandalone(browser);
    const consent = await chooseAccount(browser, interaction, PATIENT.id);
    expect(consent).toContain('data-testid="consent-approve"');
    expect(consent).toContain('patient/*.rs');
    expect(consent).not.toContain('data-testid="consent-patient"');

    const { url } = await answer(browser, interaction, { account: PATIENT.id, decision: 'approve' });
    expect(url?.searchParams.get('state')).toBe(state);
    const { status, json } = await exchange(url!.searchParams.get('code')!, verifier);
    expect(status).toBe(200);
    expect(json).toMatchObject({ patient: PATIENT.id, need_patient_banner: true, smart_style_url: `${sandbox.origin}/smart-style.json` });
    expect(json.encounter).toBeUndefined();
    // A patient account gets no user-level scopes.
    expect(String(json.scope).split(' ')).not.toContain('user/*.rs');
    const info = await sandbox.auth.introspect(String(json.access_token));
    expect(info).toMatchObject({ sub: PATIENT.id, fhirUser: `Patient/${PATIENT.id}`, patient: PATIENT.id, scope: 'patient/*.rs' });
  });

  it('lets a practitioner pick the patient, and requires the pick', async () => {
    const browser = new TestBrowser();
    const { interaction, verifier } = await startStandalone(browser);
    const consent = await chooseAccount(browser, interaction, PRACTITIONER.id);
    expect(consent).toContain('data-testid="consent-patient"');

    const missing = await answer(browser, interaction, { account: PRACTITIONER.id, decision: 'approve' });
    expect(missing.response.status).toBe(400);
    expect(await missing.response.text()).toContain('Choose the patient to open');

    const { url } = await answer(browser, interaction, { account: PRACTITIONER.id, patient: OTHER_PATIENT.id, decision: 'approve' });
    const { json } = await exchange(url!.searchParams.get('code')!, verifier);
    expect(json).toMatchObject({ patient: OTHER_PATIENT.id, need_patient_banner: true });
    expect(String(json.scope).split(' ')).toEqual(expect.arrayContaining(['patient/*.rs', 'user/*.rs']));
    const info = await sandbox.auth.introspect(String(json.access_token));
    expect(info).toMatchObject({ sub: PRACTITIONER.id, fhirUser: `Practitioner/${PRACTITIONER.id}`, patient: OTHER_PATIENT.id });
  });

  it('lets the next person in the same browser sign in as someone else', async () => {
    const browser = new TestBrowser();
    const first = await startStandalone(browser);
    await chooseAccount(browser, first.interaction, PATIENT.id);
    const firstAnswer = await answer(browser, first.interaction, { account: PATIENT.id, decision: 'approve' });
    expect(firstAnswer.url?.searchParams.get('code')).toBeTruthy();

    const second = await startStandalone(browser);
    await chooseAccount(browser, second.interaction, OTHER_PATIENT.id);
    const { url } = await answer(browser, second.interaction, { account: OTHER_PATIENT.id, decision: 'approve' });
    const { json } = await exchange(url!.searchParams.get('code')!, second.verifier);
    expect(json.patient).toBe(OTHER_PATIENT.id);
  });

  it('redirects with access_denied when the user denies', async () => {
    const browser = new TestBrowser();
    const { interaction, state } = await startStandalone(browser);
    await chooseAccount(browser, interaction, PATIENT.id);
    const { url } = await answer(browser, interaction, { account: PATIENT.id, decision: 'deny' });
    expect(url?.origin + url!.pathname).toBe(HOUSECALL_REDIRECT);
    expect(url!.searchParams.get('error')).toBe('access_denied');
    expect(url!.searchParams.get('state')).toBe(state);
    expect(url!.searchParams.get('code')).toBeNull();
  });

  it('works for the public conformance client without a secret', async () => {
    const browser = new TestBrowser();
    const redirectUri = `${sandbox.origin}/conformance/app.html`;
    const { verifier, challenge } = pkcePair();
    const { url } = await browser.follow(
      authorizeUrl(sandbox, { clientId: 'conformance', redirectUri, scope: 'launch/patient openid fhirUser patient/*.read', challenge }),
      redirectUri,
    );
    await chooseAccount(browser, url, PATIENT.id);
    const done = await browser.request(`${url.href}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ account: PATIENT.id, decision: 'approve' }),
    });
    const { url: back } = await browser.follow(new URL(done.headers.get('location')!, url), redirectUri);
    const { status, json } = await tokenRequest(
      sandbox,
      { grant_type: 'authorization_code', code: back.searchParams.get('code')!, code_verifier: verifier, redirect_uri: redirectUri },
      'conformance',
    );
    expect(status).toBe(200);
    expect(json).toMatchObject({ patient: PATIENT.id, scope: expect.stringContaining('patient/*.read') });
  });

  it('shows an expired page for an interaction without its cookie', async () => {
    const { interaction } = await startStandalone(new TestBrowser());
    const response = await fetch(interaction);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Sign-in expired');
  });
});
