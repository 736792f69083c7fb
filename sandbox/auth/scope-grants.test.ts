/** What the token response's `scope` says, and the scope knobs (v1-only server, category-narrowed grants). */
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../fixtures/index';
import type { RunningSandbox } from '../main';
import { HOUSECALL_REDIRECT, TestBrowser, authorizeUrl, ehrLaunch, pkcePair, setKnobs, tokenRequest, useTestSandbox } from './test-support';

const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;
const PATIENT = FIXTURE_PATIENTS[6]!.id;

let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s), { resetKnobs: 'after-each' });

async function tokensFor(scope: string) {
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, PRACTITIONER, PATIENT);
  const { verifier, challenge } = pkcePair();
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope, launch, challenge, state: `s-${Math.random()}` }), HOUSECALL_REDIRECT);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code: ${url.href}`);
  return tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT });
}

describe('the token response scope', () => {
  it('on refresh says what the new access token allows, not what the refresh request asked for', async () => {
    await setKnobs(sandbox, { narrowScopes: ['patient/Condition.rs'] });
    const { json } = await tokensFor('launch openid fhirUser offline_access patient/Observation.rs patient/Condition.rs');
    const refreshed = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(json.refresh_token), scope: 'openid fhirUser' });
    expect(refreshed.status).toBe(200);
    const allowed = (await sandbox.auth.introspect(String(refreshed.json.access_token)))?.scope;
    const said = String(refreshed.json.scope).split(' ');
    for (const s of String(allowed).split(' ').filter(Boolean)) expect(said).toContain(s);
    expect(said).not.toContain('patient/Condition.rs');
  });
});

describe('narrowCategory', () => {
  it('grants a v2 Observation scope only for the category, in the token, its response and on refresh; the FHIR server holds to it', async () => {
    await setKnobs(sandbox, { narrowCategory: 'laboratory' });
    const { status, json } = await tokensFor('launch openid fhirUser offline_access patient/Observation.rs patient/Condition.rs');
    expect(status).toBe(200);
    const narrowed = 'patient/Observation.rs?category=laboratory';
    expect(String(json.scope).split(' ')).toEqual(expect.arrayContaining([narrowed, 'patient/Condition.rs']));
    expect(String(json.scope).split(' ')).not.toContain('patient/Observation.rs');
    expect((await sandbox.auth.introspect(String(json.access_token)))?.scope?.split(' ')).toContain(narrowed);
    const refreshed = await tokenRequest(sandbox, { grant_type: 'refresh_token', refresh_token: String(json.refresh_token) });
    expect(String(refreshed.json.scope).split(' ')).toContain(narrowed);
    expect(String(refreshed.json.scope).split(' ')).not.toContain('patient/Observation.rs');

    const search = (query: string) => fetch(`${sandbox.fhirBase}/Observation?${query}`, { headers: { authorization: `Bearer ${String(refreshed.json.access_token)}` } });
    const vitals = await (await search(`patient=Patient/${PATIENT}&category=vital-signs`)).json() as { entry?: unknown[] };
    expect(vitals.entry ?? []).toHaveLength(0);
  });
});

describe('v1Only', () => {
  it('advertises no permission-v2 and grants v1 scopes only', async () => {
    await setKnobs(sandbox, { v1Only: true });
    const discovery = await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json() as { capabilities: string[]; scopes_supported: string[] };
    expect(discovery.capabilities).toContain('permission-v1');
    expect(discovery.capabilities).not.toContain('permission-v2');
    expect(discovery.scopes_supported.filter((s) => s.endsWith('.rs'))).toEqual([]);
    const { json } = await tokensFor('launch openid fhirUser offline_access patient/Observation.read patient/Condition.rs');
    const granted = String(json.scope).split(' ');
    expect(granted).toContain('patient/Observation.read');
    expect(granted).not.toContain('patient/Condition.rs');
  });
});

