/** The FHIR server's fault knobs, each asserted on what a client actually receives. */
import type { Bundle, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './testing';
import { entries, issueCode, startTestServer } from './testing';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterEach(() => t.resetKnobs());
afterAll(() => t.close());

function weight(patientId: string, value: number, key: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-11-02T10:00:00Z',
    valueQuantity: { value, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    identifier: [{ system: 'urn:housecall:idempotency', value: key }],
  };
}

async function byKey(key: string): Promise<Observation[]> {
  const res = await t.request<Bundle>(`/Observation?identifier=urn:housecall:idempotency|${key}`);
  return entries(res.body) as Observation[];
}

describe('fhir401', () => {
  it('answers the next N authenticated requests 401 invalid_token, then recovers', async () => {
    t.setKnobs({ fhir401: { count: 2 } });
    expect((await t.request('/metadata', { token: null })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const res = await t.request<OperationOutcome>('/Patient/pat-011');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=".+", error="invalid_token"/);
      expect(issueCode(res.body)).toBe('login');
    }
    expect((await t.request('/Patient/pat-011')).status).toBe(200);
    expect(t.knobs.fhir401).toBeNull();
    expect(t.faults.fhir401).toBe(2);
  });

  it('applies only to the listed clients', async () => {
    t.setKnobs({ fhir401: { clients: ['other-app'] } });
    expect((await t.request('/Patient/pat-011')).status).toBe(200);
    expect((await t.request('/Patient/pat-011', { token: 'otherClient' })).status).toBe(401);
    expect((await t.request('/Patient/pat-011', { token: 'otherClient' })).status).toBe(401);
  });
});

describe('fhirError', () => {
  it('answers an OperationOutcome with the status and Retry-After, only for the listed types', async () => {
    t.setKnobs({ fhirError: { status: 503, retryAfterSeconds: 7, resourceTypes: ['Observation'], count: 1 } });
    expect((await t.request('/Patient/pat-011')).status).toBe(200);
    const failed = await t.request<OperationOutcome>('/Observation?patient=pat-011');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('7');
    expect(failed.body.resourceType).toBe('OperationOutcome');
    expect(issueCode(failed.body)).toBe('transient');
    expect((await t.request('/Observation?patient=pat-011')).status).toBe(200);
  });

  it('with methods, fires only for those methods: the reads before an update do not use it up', async () => {
    t.setKnobs({ fhirError: { status: 422, resourceTypes: ['Patient'], methods: ['PUT'], count: 1 } });
    const read = await t.request<Patient>('/Patient/pat-011');
    expect(read.status).toBe(200);
    expect((await t.request('/Patient?_id=pat-011')).status).toBe(200);
    const refused = await t.request<OperationOutcome>('/Patient/pat-011', { method: 'PUT', body: read.body });
    expect(refused.status).toBe(422);
    expect(t.knobs.fhirError).toBeNull();
    expect((await t.request('/Patient/pat-011', { method: 'PUT', body: read.body })).status).toBe(200);
  });

  it('keeps failing without a count, and maps 429 to throttled', async () => {
    t.setKnobs({ fhirError: { status: 429 } });
    for (let i = 0; i < 3; i += 1) {
      const res = await t.request<OperationOutcome>('/Patient/pat-012');
      expect(res.status).toBe(429);
      expect(issueCode(res.body)).toBe('throttled');
      expect(res.headers.get('retry-after')).toBeNull();
    }
    expect(t.faults.fhirError).toBe(3);
    t.resetKnobs();
    expect((await t.request('/Patient/pat-012')).status).toBe(200);
  });

  it('gives way to fhir401 when both are on', async () => {
    t.setKnobs({ fhir401: { count: 1 }, fhirError: { status: 500, count: 1 } });
    expect((await t.request('/Patient/pat-012')).status).toBe(401);
    expect((await t.request('/Patient/pat-012')).status).toBe(500);
    expect((await t.request('/Patient/pat-012')).status).toBe(200);
  });
});

describe('dropAfterWrite', () => {
  it('applies a create, then cuts the connection without an answer', async () => {
    t.setKnobs({ dropAfterWrite: { count: 1 } });
    await expect(t.request('/Observation', { method: 'POST', body: weight('pat-013', 70, 'drop-create') })).rejects.toThrow(/fetch failed/);
    expect(await byKey('drop-create')).toHaveLength(1);
    expect(t.knobs.dropAfterWrite).toBeNull();
    const next = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-013', 71, 'drop-next') });
    expect(next.status).toBe(201);
  });

  it('applies an update and a delete before dropping them', async () => {
    const current = await t.request<Patient>('/Patient/pat-013');
    t.setKnobs({ dropAfterWrite: { count: 2 } });
    const changed = { ...current.body, gender: 'unknown' as const };
    await expect(t.request('/Patient/pat-013', { method: 'PUT', body: changed })).rejects.toThrow(/fetch failed/);
    const created = weight('pat-013', 72, 'drop-delete');
    t.resetKnobs();
    const observation = await t.request<Observation>('/Observation', { method: 'POST', body: created });
    t.setKnobs({ dropAfterWrite: { count: 1 } });
    await expect(t.request(`/Observation/${observation.body.id}`, { method: 'DELETE' })).rejects.toThrow(/fetch failed/);
    expect((await t.request(`/Observation/${observation.body.id}`)).status).toBe(410);
    const after = await t.request<Patient>('/Patient/pat-013');
    expect(after.body.gender).toBe('unknown');
    expect(after.body.meta?.versionId).toBe('2');
  });

  it('lets a refused write answer normally and keeps its count', async () => {
    const current = await t.request<Patient>('/Patient/pat-014');
    t.setKnobs({ dropAfterWrite: { count: 1 } });
    const stale = await t.request('/Patient/pat-014', { method: 'PUT', body: current.body, headers: { 'if-match': 'W/"99"' } });
    expect(stale.status).toBe(412);
    const search = await t.request('/Observation/_search', { method: 'POST', body: 'patient=pat-014', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(search.status).toBe(200);
    expect(t.knobs.dropAfterWrite).toEqual({ count: 1 });
  });
});

describe('versionless', () => {
  it('omits meta.versionId, ETag and the version in Location, without touching stored data', async () => {
    t.setKnobs({ versionless: true });
    const read = await t.request<Patient>('/Patient/pat-015');
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBeNull();
    expect(read.body.meta?.versionId).toBeUndefined();
    expect(read.body.meta?.lastUpdated).toBeDefined();

    const created = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-015', 60, 'versionless') });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${t.base}/Observation/${created.body.id}`);
    expect(created.body.meta?.versionId).toBeUndefined();

    const search = await t.request<Bundle>('/Observation?patient=pat-015');
    expect(entries(search.body).length).toBeGreaterThan(0);
    expect(JSON.stringify(search.body)).not.toContain('versionId');
    const history = await t.request<Bundle>('/Patient/pat-015/_history');
    expect(history.body.entry?.[0]?.response?.etag).toBeUndefined();
    expect(history.body.entry?.[0]?.resource?.meta?.versionId).toBeUndefined();

    t.resetKnobs();
    const again = await t.request<Patient>('/Patient/pat-015');
    expect(again.headers.get('etag')).toBe('W/"1"');
    expect(again.body.meta?.versionId).toBe('1');
    const v1 = await t.request<Patient>('/Patient/pat-015/_history/1');
    expect(v1.body.meta?.versionId).toBe('1');
  });

  it('applies only to the listed clients', async () => {
    t.setKnobs({ versionless: { clients: ['other-app'] } });
    expect((await t.request('/Patient/pat-015')).headers.get('etag')).toBe('W/"1"');
    expect((await t.request('/Patient/pat-015', { token: 'otherClient' })).headers.get('etag')).toBeNull();
  });
});

describe('hideDeletionsFromLastUpdated (always on)', () => {
  it('keeps deleted resources out of _lastUpdated searches while _history reports the delete', async () => {
    t.setKnobs({ hideDeletionsFromLastUpdated: true });
    const since = new Date().toISOString();
    const kept = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-016', 80, 'lu-kept') });
    const gone = await t.request<Observation>('/Observation', { method: 'POST', body: weight('pat-016', 81, 'lu-gone') });
    expect((await t.request(`/Observation/${gone.body.id}`, { method: 'DELETE' })).status).toBe(204);

    const search = await t.request<Bundle>(`/Observation?patient=pat-016&_lastUpdated=ge${since}&_count=500`);
    const ids = entries(search.body).map((r) => r.id);
    expect(ids).toContain(kept.body.id);
    expect(ids).not.toContain(gone.body.id);

    const history = await t.request<Bundle>(`/Observation/_history?_since=${since}`);
    const deletes = (history.body.entry ?? []).filter((e) => e.request?.method === 'DELETE').map((e) => e.fullUrl);
    expect(deletes).toContain(`${t.base}/Observation/${gone.body.id}`);
  });
});

describe('withheldSearch', () => {
  it('leaves the matches of a search of the named types out and says so in a warning outcome entry; reads and other types answer whole', async () => {
    t.setKnobs({ withheldSearch: { resourceTypes: ['AllergyIntolerance'] } });
    const search = await t.request<Bundle>('/AllergyIntolerance?patient=pat-011');
    expect(search.status).toBe(200);
    expect(entries(search.body, 'match')).toEqual([]);
    const outcome = (search.body.entry ?? []).filter((e) => e.search?.mode === 'outcome');
    expect(outcome).toHaveLength(1);
    expect(outcome[0]!.resource).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'suppressed' }] });
    expect(search.body.total ?? 0).toBe(0);
    expect(entries((await t.request<Bundle>('/Condition?patient=pat-011')).body).length).toBeGreaterThan(0);
    expect((await t.request('/Patient/pat-011')).status).toBe(200);
    expect(t.faults.withheldSearch).toBe(1);
  });
});

describe('observationSearchFilter (on by default, as Epic)', () => {
  it('refuses an Observation search naming no category, code or _id, GET or POST, and answers one that names any of them', async () => {
    t.setKnobs({ observationSearchFilter: true });
    const bare = await t.request<OperationOutcome>('/Observation?patient=pat-011&_lastUpdated=ge2000-01-01');
    expect(bare.status).toBe(400);
    expect(issueCode(bare.body)).toBe('required');
    const posted = await t.request<OperationOutcome>('/Observation/_search', { method: 'POST', body: 'patient=pat-011', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(posted.status).toBe(400);
    for (const ok of ['category=laboratory', 'code=2823-3', 'category:missing=true', '_id=x']) expect((await t.request(`/Observation?patient=pat-011&${ok}`)).status, ok).toBe(200);
    expect((await t.request('/Condition?patient=pat-011')).status).toBe(200);
  });
});
