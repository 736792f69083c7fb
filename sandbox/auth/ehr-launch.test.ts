import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../fixtures/index';
import type { RunningSandbox } from '../main';
import {
  HOUSECALL_REDIRECT,
  TestBrowser,
  authorizeUrl,
  ehrLaunch,
  pkcePair,
  resetKnobs,
  setKnobs,
  useTestSandbox,
  tokenRequest,
} from './test-support';

const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;
const PATIENT = FIXTURE_PATIENTS[0]!.id;
const OTHER_PATIENT = FIXTURE_PATIENTS[1]!.id;
const SCOPE = 'launch openid fhirUser offline_access patient/*.rs user/Observation.read';

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s));

/** EHR page → authorize → code, as the app in the EHR's frame would do it. */
async function launchToCode(browser: TestBrowser, patient = PATIENT, scope = SCOPE) {
  const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, patient);
  const { verifier, challenge } = pkcePair();
  const state = 'state-' + Math.random().toString(36).slice(2);
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope, launch, challenge, state }), HOUSECALL_REDIRECT);
  expect(url.searchParams.get('state')).toBe(state);
  const code = url.searchParams.get('code');
  expect(code, url.href).toBeTruthy();
  return { code: code!, verifier };
}

function exchange(code: string, verifier: string, redirectUri = HOUSECALL_REDIRECT) {
  return tokenRequest(sandbox, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: redirectUri,
  });
}

describe('EHR launch', () => {
  it('offers the messy patients on the EHR page and the portal login, and launches one', async () => {
    const ehr = await (await fetch(`${sandbox.origin}/ehr`)).text();
    for (const id of ['pat-030', 'pat-031', 'pat-032']) expect(ehr).toContain(`value="${id}"`);
    expect(sandbox.auth.accounts.patients.map((p) => p.id)).toEqual(expect.arrayContaining(['pat-030', 'pat-031', 'pat-032']));
    const { code, verifier } = await launchToCode(new TestBrowser(), 'pat-031');
    expect((await exchange(code, verifier)).json.patient).toBe('pat-031');
  });

  it('names the low-contrast style while the lowContrastStyle knob is on, and serves it', async () => {
    await setKnobs(sandbox, { lowContrastStyle: true });
    try {
      const { code, verifier } = await launchToCode(new TestBrowser());
      const { json } = await exchange(code, verifier);
      expect(json.smart_style_url).toBe(`${sandbox.origin}/smart-style-low-contrast.json`);
      const style = (await (await fetch(String(json.smart_style_url))).json()) as Record<string, string>;
      expect(style).toMatchObject({ color_text: '#c3c8cf', color_highlight: '#a9c7ee', color_background: '#9aa3ad' });
    } finally {
      await resetKnobs(sandbox);
    }
    const { code, verifier } = await launchToCode(new TestBrowser());
    expect((await exchange(code, verifier)).json.smart_style_url).toBe(`${sandbox.origin}/smart-style.json`);
  });

  it('renders the app frame with iss and launch, under the patient banner', async () => {
    const { frameSrc, html } = await ehrLaunch(sandbox, new TestBrowser(), PRACTITIONER, PATIENT);
    expect(frameSrc.origin + frameSrc.pathname).toBe('http://localhost:39999/launch');
    expect(frameSrc.searchParams.get('iss')).toBe(sandbox.fhirBase);
    expect(frameSrc.searchParams.get('launch')).toMatch(/^[\w-]{20,}$/);
    expect(html).toContain(`data-testid="ehr-patient-name">${FIXTURE_PATIENTS[0]!.display}`);
  });

  it('returns launch context, banner flag, style and scopes in the token response', async () => {
    const browser = new TestBrowser();
    const { code, verifier } = await launchToCode(browser);
    const { status, json } = await exchange(code, verifier);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      token_type: 'Bearer',
      patient: PATIENT,
      need_patient_banner: false,
      smart_style_url: `${sandbox.origin}/smart-style.json`,
    });
    expect(json.encounter).toMatch(/\S+/);
    expect(typeof json.refresh_token).toBe('string');
    const scopes = String(json.scope).split(' ');
    expect(scopes).toEqual(expect.arrayContaining(SCOPE.split(' ')));

    const jwks = createRemoteJWKSet(new URL(sandbox.auth.endpoints.jwks));
    const { payload } = await jwtVerify(String(json.id_token), jwks, { issuer: sandbox.issuer, audience: 'housecall' });
    expect(payload.fhirUser).toBe(`Practitioner/${PRACTITIONER}`);
    expect(payload.sub).toBe(PRACTITIONER);

    const info = await sandbox.auth.introspect(String(json.access_token));
    expect(info).toMatchObject({
      clientId: 'housecall',
      sub: PRACTITIONER,
      fhirUser: `Practitioner/${PRACTITIONER}`,
      patient: PATIENT,
      encounter: json.encounter,
    });
    expect(info!.scope.split(' ').sort()).toEqual(['patient/*.rs', 'user/Observation.read']);
    expect(info!.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('keeps two launches in one browser apart (no session bleed)', async () => {
    const browser = new TestBrowser();
    const first = await launchToCode(browser, PATIENT);
    const second = await launchToCode(browser, OTHER_PATIENT);
    expect((await exchange(first.code, first.verifier)).json.patient).toBe(PATIENT);
    expect((await exchange(second.code, second.verifier)).json.patient).toBe(OTHER_PATIENT);
  });

  it('refuses an unknown launch id', async () => {
    const { url } = await new TestBrowser().follow(
      authorizeUrl(sandbox, { scope: SCOPE, launch: 'not-a-launch', challenge: pkcePair().challenge }),
      HOUSECALL_REDIRECT,
    );
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('code')).toBeNull();
  });

  it('refuses an aud that is not this FHIR server', async () => {
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
    const { url } = await browser.follow(
      authorizeUrl(sandbox, { scope: SCOPE, launch, aud: 'https://elsewhere.example/fhir', challenge: pkcePair().challenge }),
      HOUSECALL_REDIRECT,
    );
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('error_description')).toMatch(/aud/);
  });

  it('compares aud with the iss it handed the app exactly: a trailing slash more or less is refused', async () => {
    const browser = new TestBrowser();
    const { launch, frameSrc } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
    expect(frameSrc.searchParams.get('iss')).toBe(sandbox.fhirBase);
    const { url } = await browser.follow(
      authorizeUrl(sandbox, { scope: SCOPE, launch, aud: `${sandbox.fhirBase}/`, challenge: pkcePair().challenge }),
      HOUSECALL_REDIRECT,
    );
    expect(url.searchParams.get('error')).toBe('invalid_request');
    expect(url.searchParams.get('error_description')).toMatch(/aud/);
  });

  it('with issTrailingSlash on, hands the app iss with a trailing slash and wants it back as aud', async () => {
    await setKnobs(sandbox, { issTrailingSlash: true });
    try {
      const browser = new TestBrowser();
      const { launch, frameSrc } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
      const iss = frameSrc.searchParams.get('iss');
      expect(iss).toBe(`${sandbox.fhirBase}/`);
      const refused = await browser.follow(authorizeUrl(sandbox, { scope: SCOPE, launch, challenge: pkcePair().challenge }), HOUSECALL_REDIRECT);
      expect(refused.url.searchParams.get('error')).toBe('invalid_request');
      const { verifier, challenge } = pkcePair();
      const again = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
      const { url } = await browser.follow(authorizeUrl(sandbox, { scope: SCOPE, launch: again.launch, aud: iss!, challenge }), HOUSECALL_REDIRECT);
      const code = url.searchParams.get('code');
      expect(code, url.href).toBeTruthy();
      expect((await exchange(code!, verifier)).json.patient).toBe(PATIENT);
    } finally {
      await resetKnobs(sandbox);
    }
  });

  it('honours the access token lifetime knob', async () => {
    const knobs = await fetch(`${sandbox.origin}/_knobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessTokenTtlSeconds: 7 }),
    });
    expect(knobs.status).toBe(200);
    try {
      const { code, verifier } = await launchToCode(new TestBrowser());
      expect((await exchange(code, verifier)).json.expires_in).toBe(7);
    } finally {
      await fetch(`${sandbox.origin}/_knobs`, { method: 'DELETE' });
    }
  });
});
