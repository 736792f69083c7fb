import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures/index';
import { HOUSECALL_REDIRECT, TestBrowser, authorizeUrl, ehrLaunch, pkcePair, startTestSandbox, tokenRequest } from './auth/test-support';
import type { RunningSandbox } from './main';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox?.close());

async function getJson(path: string) {
  const response = await fetch(`${sandbox.origin}${path}`);
  return { response, json: (await response.json()) as Record<string, unknown> };
}

describe('discovery', () => {
  it('serves an honest smart-configuration that agrees with the OIDC discovery document', async () => {
    const { response, json: smart } = await getJson('/fhir/.well-known/smart-configuration');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const { json: oidc } = await getJson('/oidc/.well-known/openid-configuration');

    expect(smart.issuer).toBe(`${sandbox.origin}/oidc`);
    expect(oidc.issuer).toBe(smart.issuer);
    for (const [smartKey, oidcKey] of [
      ['authorization_endpoint', 'authorization_endpoint'],
      ['token_endpoint', 'token_endpoint'],
      ['revocation_endpoint', 'revocation_endpoint'],
      ['introspection_endpoint', 'introspection_endpoint'],
      ['jwks_uri', 'jwks_uri'],
    ] as const) {
      expect(smart[smartKey], smartKey).toBe(oidc[oidcKey]);
      expect(String(smart[smartKey])).toMatch(new RegExp(`^${sandbox.origin}/oidc/`));
    }
    expect(smart.code_challenge_methods_supported).toEqual(['S256']);
    expect(oidc.code_challenge_methods_supported).toEqual(['S256']);
    expect(smart.response_types_supported).toEqual(['code']);
    expect(smart.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect([...(smart.token_endpoint_auth_methods_supported as string[])].sort()).toEqual(
      [...(oidc.token_endpoint_auth_methods_supported as string[])].sort(),
    );
    expect(smart.capabilities).toEqual(
      expect.arrayContaining(['launch-ehr', 'launch-standalone', 'permission-v1', 'permission-v2', 'context-ehr-encounter', 'sso-openid-connect']),
    );
    // private_key_jwt (SMART asymmetric client authentication) is delivered: sandbox/auth/asymmetric-client.test.ts.
    expect(smart.capabilities).toContain('client-confidential-asymmetric');
    expect(oidc.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(smart.token_endpoint_auth_signing_alg_values_supported as string[]));
    expect(smart.capabilities).not.toContain('authorize-post');
  });

  it('serves the SMART style named in token responses', async () => {
    const { response, json } = await getJson('/smart-style.json');
    expect(response.status).toBe(200);
    expect(json.color_highlight).toMatch(/^#/);
  });
});

describe('wiring', () => {
  it('reports health', async () => {
    const response = await fetch(`${sandbox.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('hands /fhir requests to the FHIR server with a working introspect', async () => {
    const browser = new TestBrowser();
    const patient = FIXTURE_PATIENTS[5]!.id;
    const { launch } = await ehrLaunch(sandbox, browser, FIXTURE_PRACTITIONERS[0]!.id, patient);
    const { verifier, challenge } = pkcePair();
    const { url } = await browser.follow(authorizeUrl(sandbox, { scope: 'launch patient/*.read', launch, challenge }), HOUSECALL_REDIRECT);
    const { json: tokens } = await tokenRequest(sandbox, {
      grant_type: 'authorization_code',
      code: url.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: HOUSECALL_REDIRECT,
    });
    const response = await fetch(`${sandbox.fhirBase}/Patient/${patient}`, {
      headers: { authorization: `Bearer ${String(tokens.access_token)}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { path: string; info: { patient: string; scope: string } };
    expect(body.path).toBe(`/fhir/Patient/${patient}`);
    expect(body.info).toMatchObject({ patient, scope: 'patient/*.read' });

    const anonymous = await fetch(`${sandbox.fhirBase}/Patient/${patient}`, { headers: { authorization: 'Bearer nope' } });
    expect(anonymous.status).toBe(401);
  });

  it('merges knobs and refuses unknown ones', async () => {
    const bad = await fetch(`${sandbox.origin}/_knobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fhirLatencyMs: 5, noSuchKnob: 1 }),
    });
    expect(bad.status).toBe(400);
    expect(sandbox.knobs.fhirLatencyMs).toBe(0);

    const good = await fetch(`${sandbox.origin}/_knobs`, { method: 'POST', body: JSON.stringify({ fhirLatencyMs: 5 }) });
    expect(good.status).toBe(200);
    expect(sandbox.knobs.fhirLatencyMs).toBe(5);
    await fetch(`${sandbox.origin}/_knobs`, { method: 'DELETE' });
    expect(sandbox.knobs.fhirLatencyMs).toBe(0);
  });
});

describe('server-side FHIR edits', () => {
  const post = (body: unknown) =>
    fetch(`${sandbox.origin}/_fhir-edit`, { method: 'POST', body: JSON.stringify(body) });

  it('sets top-level fields but never the identity', async () => {
    const id = FIXTURE_PATIENTS[0]!.id;
    const response = await post({ resourceType: 'Patient', id, set: { gender: 'other', id: 'hijack', resourceType: 'Group' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resourceType: 'Patient', id, gender: 'other' });
  });

  it('refuses a malformed edit and reports a missing resource', async () => {
    expect((await post({ resourceType: 'Patient', set: {} })).status).toBe(400);
    expect((await post({ resourceType: 'Patient', id: 'nobody', set: { gender: 'other' } })).status).toBe(404);
  });
});

describe('pages', () => {
  it('links the portal to a standalone launch of Housecall', async () => {
    const html = await (await fetch(`${sandbox.origin}/portal`)).text();
    const iss = encodeURIComponent(sandbox.fhirBase);
    expect(html).toContain(`href="${sandbox.housecallUrl}/launch?iss=${iss}" data-testid="portal-launch"`);
  });

  it('offers practitioner and patient pickers on the EHR page', async () => {
    const response = await fetch(`${sandbox.origin}/ehr`);
    const html = await response.text();
    for (const testId of ['ehr-practitioner', 'ehr-patient', 'ehr-launch']) expect(html).toContain(`data-testid="${testId}"`);
    expect(html).toContain(FIXTURE_PRACTITIONERS[0]!.display);
    expect(html).not.toContain('data-testid="ehr-frame"');
  });

  it('refuses to launch an unknown patient', async () => {
    const response = await fetch(`${sandbox.origin}/ehr?practitioner=${FIXTURE_PRACTITIONERS[0]!.id}&patient=nobody&autolaunch=1`);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('data-testid="ehr-frame"');
  });

  it('launches the fhirclient conformance app in the EHR frame on request', async () => {
    const response = await fetch(
      `${sandbox.origin}/ehr?practitioner=${FIXTURE_PRACTITIONERS[0]!.id}&patient=${FIXTURE_PATIENTS[0]!.id}&app=conformance&autolaunch=1`,
    );
    const src = /data-testid="ehr-frame"[^>]*\ssrc="([^"]+)"/.exec(await response.text())?.[1]?.replaceAll('&amp;', '&');
    const frame = new URL(src!);
    expect(frame.origin + frame.pathname).toBe(`${sandbox.origin}/conformance/launch.html`);
    expect(frame.searchParams.get('iss')).toBe(sandbox.fhirBase);

    const bundle = await fetch(`${sandbox.origin}/conformance/fhir-client.js`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const app = await (await fetch(`${sandbox.origin}/conformance/app.html`)).text();
    expect(app).toContain('data-testid="conformance-patient"');
    expect(app).toContain('FHIR.oauth2.ready()');
  });
});
