/** The sandbox as the staff console's identity provider (issue 15): client housecall-staff, staff accounts and their roles claim. */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STAFF_CLIENT_SECRET } from '../config';
import type { RunningSandbox } from '../main';
import { HOUSECALL_URL, TestBrowser, authorizeUrl, basicAuth, pkcePair, useTestSandbox } from './test-support';

const STAFF_REDIRECT = `${HOUSECALL_URL}/staff/api/auth/callback/staff-idp`;
let sandbox: RunningSandbox;
useTestSandbox((s) => (sandbox = s));

async function staffSignIn(account: string) {
  const browser = new TestBrowser();
  const { verifier, challenge } = pkcePair();
  const first = await browser.follow(authorizeUrl(sandbox, { clientId: 'housecall-staff', redirectUri: STAFF_REDIRECT, scope: 'openid staff fhirUser', aud: '', challenge }), STAFF_REDIRECT);
  expect(first.response?.status).toBe(200);
  const page = await first.response!.text();
  expect(page).toContain(`data-testid="staff-login-${account}"`);
  const chooser = new URL(first.url);
  chooser.searchParams.set('account', account);
  const done = await browser.follow(chooser, STAFF_REDIRECT);
  const code = done.url.searchParams.get('code');
  expect(code).toBeTruthy();
  const response = await fetch(sandbox.auth.endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('housecall-staff', DEFAULT_STAFF_CLIENT_SECRET) },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, code_verifier: verifier, redirect_uri: STAFF_REDIRECT }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id_token: string; access_token: string; refresh_token?: string };
}

describe('staff identity provider', () => {
  it('signs a staff account in with its roles claim as the provider sends it; the token reaches no FHIR data', async () => {
    const tokens = await staffSignIn('staff-support-auditor-1');
    const claims = decodeJwt(tokens.id_token);
    expect(claims).toMatchObject({ sub: 'staff-support-auditor-1', name: 'Noor Valdés', roles: 'support auditor', aud: 'housecall-staff' });
    expect(tokens.refresh_token).toBeUndefined();
    expect(await sandbox.auth.introspect(tokens.access_token)).toBeNull();
    const lead = decodeJwt((await staffSignIn('staff-lead-1')).id_token);
    expect(lead).toMatchObject({ roles: ['clinical-lead'], fhirUser: expect.stringMatching(/^Practitioner\//) });
  });

  it('a SMART client cannot sign in as a staff account', async () => {
    const browser = new TestBrowser();
    const { challenge } = pkcePair();
    const first = await browser.follow(authorizeUrl(sandbox, { scope: 'launch/patient openid fhirUser offline_access patient/*.rs', challenge }), `${HOUSECALL_URL}/redirect`);
    expect(await first.response!.text()).not.toContain('staff-login-');
    const chooser = new URL(first.url);
    chooser.searchParams.set('account', 'staff-support-1');
    const refused = await browser.request(chooser);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('That person is not in the sandbox');
  });

  it('refuses the staff client with a wrong secret', async () => {
    const response = await fetch(sandbox.auth.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('housecall-staff', 'not-the-secret-at-all') },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', code_verifier: 'y'.repeat(43), redirect_uri: STAFF_REDIRECT }),
    });
    expect(response.status).toBe(401);
  });
});
