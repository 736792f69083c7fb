import type { AllergyIntolerance, Bundle, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './testing';
import { entries, issueCode, link, startTestServer } from './testing';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t.close();
});

function weight(patientId: string, value: number, idempotencyKey?: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-11-02T10:00:00Z',
    valueQuantity: { value, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    ...(idempotencyKey ? { identifier: [{ system: 'urn:housecall:idempotency', value: idempotencyKey }] } : {}),
  };
}

describe('create', () => {
  it('answers 201 with Location, ETag and a server-assigned id (a client id is ignored)', async () => {
    const res = await t.request<Observation>('/Observation', { method: 'POST', body: { ...weight('pat-005', 70), id: 'client-chosen' } });
    expect(res.status).toBe(201);
    expect(res.body.id).toBeDefined();
    expect(res.body.id).not.toBe('client-chosen');
    expect(res.body.meta?.versionId).toBe('1');
    expect(res.headers.get('location')).toBe(`${t.base}/Observation/${res.body.id}/_history/1`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    const read = await t.request<Observation>(`/Observation/${res.body.id}`);
    expect(read.body.valueQuantity?.value).toBe(70);
  });

  it('rejects bodies that are not valid resources of the URL type', async () => {
    const cases: [string, unknown][] = [
      ['not json', '{nope'],
      ['array', []],
      ['wrong type', { resourceType: 'Patient' }],
      ['bad id', { ...weight('pat-005', 1), id: 'has space' }],
      ['invalid resource', { resourceType: 'Observation', subject: { reference: 'Patient/pat-005' } }],
      ['unknown element', { ...weight('pat-005', 1), colour: 'blue' }],
    ];
    for (const [name, body] of cases) {
      const res = await t.request<OperationOutcome>('/Observation', { method: 'POST', body });
      expect(res.status, name).toBe(400);
      expect(res.body.resourceType, name).toBe('OperationOutcome');
    }
  });

  it('creates once under If-None-Exist, however often it is sent', async () => {
    const key = 'idem-123';
    const headers = { 'if-none-exist': `identifier=urn:housecall:idempotency|${key}` };
    const first = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-006', 81, key), headers });
    const second = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-006', 81, key), headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const search = await t.request<Bundle>(`/Observation?identifier=urn:housecall:idempotency|${key}`);
    expect(search.body.total).toBe(1);
  });

  it('does not create twice when the same conditional create races', async () => {
    const key = 'idem-race';
    const headers = { 'if-none-exist': `identifier=urn:housecall:idempotency|${key}` };
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-006', 82, key), headers })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
  });
});

describe('update and delete with versions', () => {
  it('updates with a matching If-Match and answers 412 on a stale one', async () => {
    const current = await t.request<Patient>('/Patient/pat-007');
    expect(current.headers.get('etag')).toBe('W/"1"');
    const changed = { ...current.body, telecom: [{ system: 'phone' as const, value: '555-0199', use: 'home' as const }] };
    const ok = await t.request<Patient>('/Patient/pat-007', { method: 'PUT', body: changed, headers: { 'if-match': 'W/"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body.meta?.versionId).toBe('2');
    expect(ok.headers.get('etag')).toBe('W/"2"');
    const stale = await t.request<OperationOutcome>('/Patient/pat-007', { method: 'PUT', body: changed, headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    const after = await t.request<Patient>('/Patient/pat-007');
    expect(after.body.meta?.versionId).toBe('2');
    const v1 = await t.request<Patient>('/Patient/pat-007/_history/1');
    expect(v1.status).toBe(200);
    expect(v1.body.telecom?.[0]?.value).not.toBe('555-0199');
  });

  it('rejects an update whose id does not match the URL, and creates on PUT to a new id', async () => {
    const current = await t.request<Patient>('/Patient/pat-008');
    expect((await t.request('/Patient/pat-009', { method: 'PUT', body: current.body })).status).toBe(400);
    const allergy: AllergyIntolerance = { resourceType: 'AllergyIntolerance', id: 'alg-new-1', patient: { reference: 'Patient/pat-008' }, code: { text: 'Kiwi' } };
    // ait-1: clinicalStatus is required unless entered-in-error; the validator enforces invariants.
    const invalid = await t.request<OperationOutcome>('/AllergyIntolerance/alg-new-1', { method: 'PUT', body: allergy });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.issue)).toContain('ait-1');
    const created = await t.request<AllergyIntolerance>('/AllergyIntolerance/alg-new-1', {
      method: 'PUT',
      body: { ...allergy, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] } },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toContain('/AllergyIntolerance/alg-new-1/_history/1');
  });

  it('a server-side edit (fault knob) makes the client version stale', async () => {
    const before = await t.request<Patient>('/Patient/pat-010');
    const edited = await t.fhir.edit?.('Patient', 'pat-010', (p) => ({ ...p, active: false }) as Patient);
    expect(edited?.meta?.versionId).toBe('2');
    const stale = await t.request('/Patient/pat-010', { method: 'PUT', body: before.body, headers: { 'if-match': 'W/"1"' } });
    expect(stale.status).toBe(412);
  });

  it('deletes with If-Match (412 when stale), then answers 410 and keeps the versions', async () => {
    const created = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-011', 64) });
    const id = created.body.id ?? '';
    const stale = await t.request(`/Observation/${id}`, { method: 'DELETE', headers: { 'if-match': 'W/"7"' } });
    expect(stale.status).toBe(412);
    const del = await t.request(`/Observation/${id}`, { method: 'DELETE', headers: { 'if-match': 'W/"1"' } });
    expect(del.status).toBe(204);
    const gone = await t.request(`/Observation/${id}`);
    expect(gone.status).toBe(410);
    expect(issueCode(gone.body)).toBe('deleted');
    expect((await t.request(`/Observation/${id}/_history/1`)).status).toBe(200);
    expect((await t.request(`/Observation/${id}/_history/2`)).status).toBe(410);
    expect((await t.request('/Observation/never-existed', { method: 'DELETE' })).status).toBe(404);
  });
});

describe('history', () => {
  it('shows creates, updates and deletes at instance, type and system level with _since', async () => {
    const since = (await t.request<Bundle>('/_history?_count=1')).body.meta?.lastUpdated ?? '';
    expect(since).not.toBe('');
    const created = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-012', 90) });
    const id = created.body.id ?? '';
    await t.request(`/Observation/${id}`, { method: 'PUT', body: { ...created.body, valueQuantity: { ...created.body.valueQuantity, value: 91 } } });
    expect((await t.request(`/Observation/${id}`, { method: 'DELETE' })).status).toBe(204);

    const instance = await t.request<Bundle>(`/Observation/${id}/_history`);
    expect(instance.status).toBe(200);
    expect(instance.body.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(instance.body.entry?.[0]?.resource).toBeUndefined();
    expect(instance.body.entry?.[0]?.response?.etag).toBe('W/"3"');

    const type = await t.request<Bundle>(`/Observation/_history?_since=${encodeURIComponent(since)}`);
    const mine = (type.body.entry ?? []).filter((e) => e.fullUrl === `${t.base}/Observation/${id}`);
    expect(mine.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(type.body.entry?.every((e) => e.fullUrl?.startsWith(`${t.base}/Observation/`))).toBe(true);

    const system = await t.request<Bundle>(`/_history?_since=${encodeURIComponent(since)}`);
    expect(system.body.entry?.[0]).toMatchObject({ fullUrl: `${t.base}/Observation/${id}`, request: { method: 'DELETE', url: `Observation/${id}` } });
    expect(system.body.total).toBeLessThan(20);

    const future = await t.request<Bundle>('/_history?_since=2100-01-01T00:00:00Z');
    expect(future.body.total).toBe(0);
  });

  it('pages a history snapshot with next links that new writes do not shift', async () => {
    const first = await t.request<Bundle>('/Patient/_history?_count=10');
    expect(first.body.total).toBeGreaterThanOrEqual(21);
    const next = link(first.body, 'next') ?? '';
    expect(next).toContain('_snapshot=');
    await t.request('/Observation', { method: 'POST', body: weight('pat-013', 55) });
    await t.request<Patient>('/Patient/pat-013').then((p) => t.request('/Patient/pat-013', { method: 'PUT', body: p.body }));
    const second = await t.request<Bundle>(next);
    const firstIds = entries(first.body).map((r) => `${r.id}@${r.meta?.versionId}`);
    const secondIds = entries(second.body).map((r) => `${r.id}@${r.meta?.versionId}`);
    expect(secondIds.filter((x) => firstIds.includes(x))).toEqual([]);
    expect(secondIds).not.toContain('pat-013@2');
  });

  it('rejects an invalid _since and unsupported history parameters', async () => {
    expect((await t.request('/_history?_since=yesterday')).status).toBe(400);
    expect((await t.request('/Patient/_history?_at=2026')).status).toBe(400);
  });
});

describe('Consent writes (what Housecall records at the EHR)', () => {
  const consent = (patient: string) => ({
    resourceType: 'Consent', status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patient}` },
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
    identifier: [{ system: 'urn:housecall:consent-id', value: 'local-1' }],
    provision: { type: 'permit', class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Observation' }] },
  });

  it('the CapabilityStatement lists Consent create and update, and a patient token with patient/Consent.cru does both for its own patient', async () => {
    const metadata = await t.request<{ rest: { resource: { type: string; interaction: { code: string }[] }[] }[] }>('/metadata', { token: null });
    const codes = metadata.body.rest[0]!.resource.find((r) => r.type === 'Consent')!.interaction.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['create', 'update']));
    const created = await t.request<{ id: string; meta: { versionId: string } }>('/Consent', { token: 'patientConsent', method: 'POST', body: consent('pat-001') });
    expect(created.status).toBe(201);
    const revoked = await t.request<{ status: string; meta: { versionId: string } }>(`/Consent/${created.body.id}`, { token: 'patientConsent', method: 'PUT', body: { ...consent('pat-001'), id: created.body.id, status: 'inactive' }, headers: { 'if-match': `W/"${created.body.meta.versionId}"` } });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'inactive', meta: { versionId: '2' } });
  });

  it("refuses a patient's Consent for another patient, and a token without Consent write scopes", async () => {
    expect((await t.request('/Consent', { token: 'patientConsent', method: 'POST', body: consent('pat-002') })).status).toBe(403);
    expect((await t.request('/Consent', { token: 'patient', method: 'POST', body: consent('pat-001') })).status).toBe(403);
  });
});
