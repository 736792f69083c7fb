/**
 * The fault routes over HTTP against a whole sandbox with the real FHIR server: knob merging and
 * reset, stats, edits and deletes behind the client's back, and where fault routes are refused.
 */
import type { AddressInfo } from 'node:net';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS, buildSeed } from '../fixtures/index';
import { HOUSECALL_REDIRECT, TestBrowser, authorizeUrl, ehrLaunch, pkcePair, resetKnobs, setKnobs, stubFhirServer, tokenRequest } from './auth/test-support';
import { defaultKnobs } from './knobs';
import { startSandbox, type RunningSandbox } from './main';

const PATIENT = FIXTURE_PATIENTS[8]!.id;
let sandbox: RunningSandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', housecallUrl: 'http://localhost:39999', housecallClientSecret: 'test-secret-for-the-sandbox-only', seed: buildSeed(), env: {} });
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, FIXTURE_PRACTITIONERS[0]!.id, PATIENT);
  const { verifier, challenge } = pkcePair();
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope: 'launch user/*.cruds', launch, challenge }), HOUSECALL_REDIRECT);
  const { json } = await tokenRequest(sandbox, { grant_type: 'authorization_code', code: url.searchParams.get('code')!, code_verifier: verifier, redirect_uri: HOUSECALL_REDIRECT });
  token = String(json.access_token);
}, 30_000);
afterEach(() => resetKnobs(sandbox));
afterAll(() => sandbox?.close());

function fhir(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (init.body) headers.set('content-type', 'application/fhir+json');
  return fetch(`${sandbox.fhirBase}${path}`, { ...init, headers });
}

const post = (path: string, body: unknown) => fetch(`${sandbox.origin}${path}`, { method: 'POST', body: JSON.stringify(body) });

describe('/_knobs', () => {
  it('starts with every fault knob off, and Epic\'s Observation search rule on', async () => {
    const knobs = await (await fetch(`${sandbox.origin}/_knobs`)).json();
    expect(knobs).toEqual(defaultKnobs);
    expect(Object.entries(knobs as object).filter(([, v]) => v !== null).map(([k]) => k).sort()).toEqual(
      ['accessTokenTtlSeconds', 'fhirLatencyMs', 'hideDeletionsFromLastUpdated', 'observationSearchFilter'],
    );
  });

  it('merges shorthands in their object form, and turns knobs off with false', async () => {
    const merged = await setKnobs(sandbox, {
      rejectClient: true,
      narrowScopes: ['patient/Condition.rs'],
      rejectRefresh: true,
      denyWithDescription: '<b>no</b>',
      fhirError: { status: 503, retryAfterSeconds: 5, resourceTypes: ['Observation'] },
    });
    expect(merged.rejectClient).toEqual({});
    expect(merged.narrowScopes).toEqual({ scopes: ['patient/Condition.rs'] });
    expect(merged.rejectRefresh).toEqual({ count: 1 });
    expect(merged.denyWithDescription).toEqual({ description: '<b>no</b>' });
    expect(merged.fhirError).toEqual({ status: 503, retryAfterSeconds: 5, resourceTypes: ['Observation'] });
    expect((await setKnobs(sandbox, { rejectClient: false, fhirError: null })).rejectClient).toBeNull();
    expect(sandbox.knobs.fhirError).toBeNull();
  });

  it.each([
    [{ noSuchKnob: 1 }],
    [{ fhirError: { status: 200 } }],
    [{ fhir401: { count: 0 } }],
    [{ discovery: {} }],
    [{ hideDeletionsFromLastUpdated: false }],
    [{ narrowScopes: ['two scopes'] }],
    [{ tokenEndpoint: { status: 500, clients: [] } }],
  ])('refuses %j as a whole', async (patch) => {
    const response = await post('/_knobs', { fhirLatencyMs: 9, ...patch });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('knobs_patch_invalid');
    expect(sandbox.knobs.fhirLatencyMs).toBe(0);
  });

  it('resets knobs and stats on DELETE, and names the allowed methods otherwise', async () => {
    await setKnobs(sandbox, { fhir401: { count: 1 }, accessTokenTtlSeconds: 5 });
    expect((await fhir(`/Patient/${PATIENT}`)).status).toBe(401);
    expect(sandbox.stats.faults.fhir401).toBe(1);
    expect((await fetch(`${sandbox.origin}/_knobs`, { method: 'DELETE' })).status).toBe(200);
    expect(sandbox.knobs).toEqual(defaultKnobs);
    expect(sandbox.stats.faults).toEqual({});
    const put = await fetch(`${sandbox.origin}/_knobs`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
  });

  it('never slows or breaks /health and /_knobs', async () => {
    // The largest delays the knobs take: were these routes slowed by them, they would not answer
    // within the test's time limit at all (no stopwatch, so a busy machine cannot fail it).
    await setKnobs(sandbox, { fhirLatencyMs: 60_000, fhirError: { status: 500 }, fhir401: true, discovery: { delayMs: 600_000 }, tokenEndpoint: { status: 500 } });
    expect((await fetch(`${sandbox.origin}/health`)).status).toBe(200);
    expect((await fetch(`${sandbox.origin}/_knobs`)).status).toBe(200);
    expect((await fetch(`${sandbox.origin}/_knobs/stats`)).status).toBe(200);
  });

  it('filters FHIR faults by the client the real token was issued to', async () => {
    await setKnobs(sandbox, { fhir401: { clients: ['conformance'] } });
    expect((await fhir(`/Patient/${PATIENT}`)).status).toBe(200);
    await setKnobs(sandbox, { fhir401: { clients: ['housecall'], count: 1 } });
    const refused = await fhir(`/Patient/${PATIENT}`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await fhir(`/Patient/${PATIENT}`)).status).toBe(200);
  });
});

describe('/_fhir-edit and /_fhir-delete', () => {
  it('edits a resource behind the client\'s back, so its If-Match goes stale', async () => {
    const before = (await (await fhir(`/Patient/${PATIENT}`)).json()) as Patient;
    const version = before.meta?.versionId;
    const edited = await post('/_fhir-edit', { resourceType: 'Patient', id: PATIENT, set: { gender: 'other' } });
    expect(edited.status).toBe(200);
    const body = (await edited.json()) as Patient;
    expect(body.gender).toBe('other');
    expect(body.meta?.versionId).toBe(String(Number(version) + 1));

    const stale = await fhir(`/Patient/${PATIENT}`, { method: 'PUT', body: JSON.stringify(before), headers: { 'if-match': `W/"${version}"` } });
    expect(stale.status).toBe(412);
    const history = (await (await fhir(`/Patient/${PATIENT}/_history`)).json()) as Bundle;
    expect(history.entry?.map((e) => e.request?.method)).toEqual(['PUT', 'POST']);
  });

  it('labels a resource as the EHR\'s labeler would (meta.security), and takes the labels off again', async () => {
    const search = (await (await fhir(`/Observation?patient=${PATIENT}&category=vital-signs&_count=1`)).json()) as Bundle<Observation>;
    const id = search.entry?.[0]?.resource?.id;
    const hiv = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' };
    expect((await post('/_fhir-edit', { resourceType: 'Observation', id, security: [hiv] })).status).toBe(200);
    expect(((await (await fhir(`/Observation/${id}`)).json()) as Observation).meta?.security).toEqual([hiv]);
    expect((await post('/_fhir-edit', { resourceType: 'Observation', id, security: [] })).status).toBe(200);
    expect(((await (await fhir(`/Observation/${id}`)).json()) as Observation).meta?.security ?? []).toEqual([]);
  });

  it('deletes a resource behind the client\'s back; reads answer 410 and _history shows it', async () => {
    const search = (await (await fhir(`/Observation?patient=${PATIENT}&category=vital-signs&_count=1`)).json()) as Bundle<Observation>;
    const id = search.entry?.[0]?.resource?.id;
    expect(id).toBeTruthy();
    const deleted = await post('/_fhir-delete', { resourceType: 'Observation', id });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: `Observation/${id}` });
    expect((await fhir(`/Observation/${id}`)).status).toBe(410);
    const history = (await (await fhir(`/Observation/${id}/_history`)).json()) as Bundle;
    expect(history.entry?.[0]?.request?.method).toBe('DELETE');

    const again = await post('/_fhir-delete', { resourceType: 'Observation', id });
    expect(again.status).toBe(404);
    expect(((await again.json()) as { error: string }).error).toBe('delete_refused');
    expect((await post('/_fhir-delete', { resourceType: 'Observation' })).status).toBe(400);
    expect((await fetch(`${sandbox.origin}/_fhir-delete`)).status).toBe(405);
  });
});

describe('/_fhir-read', () => {
  it('lists what a client wrote for one patient, read-only, and refuses a bad query', async () => {
    const consent = { resourceType: 'Consent', status: 'active', scope: { coding: [{ code: 'patient-privacy' }] }, category: [{ coding: [{ code: '59284-0' }] }], patient: { reference: `Patient/${PATIENT}` }, policyRule: { coding: [{ code: 'OPTIN' }] } };
    const written = await fhir('/Consent', { method: 'POST', body: JSON.stringify(consent) });
    expect(written.status).toBe(201);
    const { id } = (await written.json()) as { id: string };
    const read = await fetch(`${sandbox.origin}/_fhir-read?type=Consent&patient=${PATIENT}`);
    expect(read.status).toBe(200);
    expect(((await read.json()) as { resources: { id: string }[] }).resources.map((r) => r.id)).toEqual([id]);
    expect(((await (await fetch(`${sandbox.origin}/_fhir-read?type=Consent&patient=someone-else`)).json()) as { resources: unknown[] }).resources).toEqual([]);
    expect((await fetch(`${sandbox.origin}/_fhir-read?type=../x&patient=${PATIENT}`)).status).toBe(400);
    expect((await fetch(`${sandbox.origin}/_fhir-read?type=Consent&patient=${PATIENT}`, { method: 'POST' })).status).toBe(405);
  });
});

describe('where fault routes answer', () => {
  it('binds 127.0.0.1 unless told otherwise', async () => {
    const other = await startSandbox({ port: 0, seed: buildSeed(), env: {}, createFhirServer: stubFhirServer });
    try {
      expect((other.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await other.close();
    }
  });

  it('refuses every fault route in production, and leaves the knobs alone', async () => {
    const production = await startSandbox({ port: 0, host: '127.0.0.1', seed: buildSeed(), env: { NODE_ENV: 'production' }, createFhirServer: stubFhirServer });
    try {
      for (const [path, method] of [['/_knobs', 'GET'], ['/_knobs', 'POST'], ['/_knobs/stats', 'GET'], ['/_fhir-edit', 'POST'], ['/_fhir-delete', 'POST']] as const) {
        const response = await fetch(`${production.origin}${path}`, { method, ...(method === 'POST' ? { body: '{"fhirLatencyMs":9}' } : {}) });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(((await response.json()) as { error: string }).error).toBe('fault_routes_disabled');
      }
      expect(production.knobs.fhirLatencyMs).toBe(0);
      expect((await fetch(`${production.origin}/health`)).status).toBe(200);
    } finally {
      await production.close();
    }
  });
});

describe('/_new-result', () => {
  it('adds a laboratory result issued now for the patient, out of range by default', async () => {
    const before = Date.now();
    const res = await post('/_new-result', { patient: PATIENT });
    expect(res.status).toBe(201);
    const made = (await res.json()) as Observation;
    expect(made.issued && Date.parse(made.issued)).toBeGreaterThanOrEqual(before - 1000);
    expect(made.interpretation?.[0]?.coding?.[0]?.code).toBe('H');
    const found = (await (await fhir(`/Observation?patient=Patient/${PATIENT}&code=2823-3&_sort=-date&_count=1`)).json()) as Bundle;
    expect(found.entry?.[0]?.resource?.id).toBe(made.id);
  });

  it('takes a preset and a status, and refuses an unknown patient or preset with a clear code', async () => {
    const pre = (await (await post('/_new-result', { patient: PATIENT, preset: 'hemoglobin-low', status: 'preliminary' })).json()) as Observation;
    expect([pre.status, pre.code?.coding?.[0]?.code]).toEqual(['preliminary', '718-7']);
    const unknown = await post('/_new-result', { patient: 'pat-nobody' });
    expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([404, 'new_result_refused']);
    const bad = await post('/_new-result', { patient: PATIENT, preset: 'nonsense' });
    expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, 'new_result_invalid']);
  });
});
