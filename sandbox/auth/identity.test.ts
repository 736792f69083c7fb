/** The sandbox's identity strictness (issue 10): EHR sessions, single-use launches, absolute fhirUser, caregivers. */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS, FIXTURE_RELATED_PERSONS } from '../../fixtures/index';
import type { RunningSandbox } from '../main';
import { HOUSECALL_REDIRECT, TestBrowser, authorizeUrl, ehrLaunch, getStats, pkcePair, setKnobs, tokenRequest, useTestSandbox } from './test-support';

const DOCTOR = FIXTURE_PRACTITIONERS[0]!.id;
const NURSE = FIXTURE_PRACTITIONERS[2]!.id;
const PATIENT = FIXTURE_PATIENTS[0]!.id;
const CAREGIVER = FIXTURE_RELATED_PERSONS[0]!;
const EHR_SCOPE = 'launch openid fhirUser offline_access patient/*.rs';
const STANDALONE_SCOPE = 'launch/patient openid fhirUser offline_access patient/*.rs';

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s), { resetKnobs: 'before-each' });

async function authorize(browser: TestBrowser, launch: string) {
  const { verifier, challenge } = pkcePair();
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope: EHR_SCOPE, launch, challenge }), HOUSECALL_REDIRECT);
  return { url, verifier };
}

async function idTokenOf(code: string, verifier: string) {
  const { status, json } = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT });
  expect(status).toBe(200);
  return { json, claims: decodeJwt(String(json.id_token)) };
}

/** A standalone sign-in through the chooser and consent screens as `account`. */
async function standalone(browser: TestBrowser, account: string, form: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const first = await browser.follow(authorizeUrl(sandbox, { scope: STANDALONE_SCOPE, challenge }), HOUSECALL_REDIRECT);
  const chooser = new URL(first.url);
  chooser.searchParams.set('account', account);
  const consent = await browser.request(chooser);
  expect(consent.status).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(await consent.text())?.[1];
  const confirmed = await browser.request(new URL(action!, sandbox.origin), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ account, decision: 'approve', ...form }),
  });
  const { url } = await browser.follow(new URL(confirmed.headers.get('location')!, sandbox.origin), HOUSECALL_REDIRECT);
  return { code: url.searchParams.get('code'), verifier, url };
}

describe('EHR page sessions: a launch id alone signs no one in', () => {
  it('refuses the launch in a browser that is not signed in at the EHR, and issues no code', async () => {
    const { launch } = await ehrLaunch(sandbox, new TestBrowser(), DOCTOR, PATIENT);
    const { url } = await authorize(new TestBrowser(), launch);
    expect(url.searchParams.get('error')).toBe('login_required');
    expect(url.searchParams.get('code')).toBeNull();
  });

  it('refuses the launch when the EHR session is another practitioner’s', async () => {
    const { launch } = await ehrLaunch(sandbox, new TestBrowser(), DOCTOR, PATIENT);
    const nurse = new TestBrowser();
    await ehrLaunch(sandbox, nurse, NURSE, PATIENT);
    const { url } = await authorize(nurse, launch);
    expect(url.searchParams.get('error')).toBe('login_required');
  });

  it('signs in the practitioner who made the launch from their own EHR session', async () => {
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, DOCTOR, PATIENT);
    const { url, verifier } = await authorize(browser, launch);
    expect((await idTokenOf(url.searchParams.get('code')!, verifier)).claims.fhirUser).toBe(`Practitioner/${DOCTOR}`);
  });
});

describe('singleUseLaunch knob', () => {
  it('lets a launch id be used again by default (the frame may reload)', async () => {
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, DOCTOR, PATIENT);
    expect((await authorize(browser, launch)).url.searchParams.get('code')).toBeTruthy();
    expect((await authorize(browser, launch)).url.searchParams.get('code')).toBeTruthy();
  });

  it('refuses the second use of a launch id, as Epic does', async () => {
    await setKnobs(sandbox, { singleUseLaunch: true });
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, DOCTOR, PATIENT);
    expect((await authorize(browser, launch)).url.searchParams.get('code')).toBeTruthy();
    const again = (await authorize(browser, launch)).url;
    expect(again.searchParams.get('error')).toBe('invalid_request');
    expect(again.searchParams.get('error_description')).toMatch(/already used/);
    expect((await getStats(sandbox)).faults.singleUseLaunch).toBe(1);
  });
});

describe('absoluteFhirUser knob', () => {
  it('puts the user’s full URL on the FHIR server in the id_token, Epic style', async () => {
    await setKnobs(sandbox, { absoluteFhirUser: true });
    const browser = new TestBrowser();
    const { launch } = await ehrLaunch(sandbox, browser, DOCTOR, PATIENT);
    const { url, verifier } = await authorize(browser, launch);
    const { json, claims } = await idTokenOf(url.searchParams.get('code')!, verifier);
    expect(claims.fhirUser).toBe(`${sandbox.fhirBase}/Practitioner/${DOCTOR}`);
    expect(json.patient).toBe(PATIENT);
  });
});

describe('standalone accounts', () => {
  it('signs a practitioner in at the portal for the patient they pick', async () => {
    const { code, verifier } = await standalone(new TestBrowser(), DOCTOR, { patient: PATIENT });
    const { json, claims } = await idTokenOf(code!, verifier);
    expect(claims.fhirUser).toBe(`Practitioner/${DOCTOR}`);
    expect(json.patient).toBe(PATIENT);
  });

  it('signs a related person in with the patient they are related to as context', async () => {
    const { code, verifier } = await standalone(new TestBrowser(), CAREGIVER.id);
    const { json, claims } = await idTokenOf(code!, verifier);
    expect(claims.fhirUser).toBe(`RelatedPerson/${CAREGIVER.id}`);
    expect(json.patient).toBe(CAREGIVER.patientId);
    expect(String(json.scope)).not.toMatch(/user\//);
  });
});
