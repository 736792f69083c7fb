import { validateResource } from '@medplum/core';
import type { Bundle, CapabilityStatement, Extension, Observation, OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_PATIENT_ID, FIXTURE_PATIENTS, LONG_RECORD_PATIENT_ID, buildSeed } from '../../fixtures/index';
import type { TestServer } from './testing';
import { entries, issueCode, link, startTestServer } from './testing';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t.close();
});

describe('/metadata', () => {
  it('is public and describes resources, history, includes and SMART security truthfully', async () => {
    const res = await t.request<CapabilityStatement>('/metadata', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    const rest = res.body.rest?.[0];
    expect(rest?.interaction?.map((i) => i.code)).toContain('history-system');
    const observation = rest?.resource?.find((r) => r.type === 'Observation');
    expect(observation?.interaction?.map((i) => i.code)).toEqual(
      expect.arrayContaining(['read', 'vread', 'search-type', 'create', 'update', 'delete', 'history-instance', 'history-type']),
    );
    expect(observation?.searchInclude).toContain('Observation:performer');
    expect(rest?.resource?.find((r) => r.type === 'MedicationRequest')?.searchInclude).toContain('MedicationRequest:medication');
    const names = observation?.searchParam?.map((p) => p.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['patient', 'subject', 'code', 'date', 'category', '_id', '_lastUpdated']));
    expect(names).not.toContain('value-quantity'); // quantity search is not evaluated, so it is not advertised
    expect(rest?.security?.service?.[0]?.coding?.[0]?.code).toBe('SMART-on-FHIR');
    const oauth = rest?.security?.extension?.find((e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
    const uri = (name: string): string | undefined => oauth?.extension?.find((e: Extension) => e.url === name)?.valueUri;
    expect(uri('authorize')).toBe('http://127.0.0.1:9/oidc/auth');
    expect(uri('token')).toBe('http://127.0.0.1:9/oidc/token');
    expect(validateResource(res.body)).toEqual([]);
  });
});

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate and an OperationOutcome without a token', async () => {
    const res = await t.request<OperationOutcome>('/Patient/pat-001', { token: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(issueCode(res.body)).toBe('login');
  });

  it('answers 401 for unknown and expired tokens', async () => {
    const unknown = await t.request('/Patient/pat-001', { headers: { authorization: 'Bearer not-a-token' }, token: null });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await t.request('/Patient/pat-001', { token: 'expired' })).status).toBe(401);
  });

  it('answers CORS preflight without a token and allows Authorization', async () => {
    const res = await fetch(`${t.base}/Observation`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('read', () => {
  it('returns the fixture resource with ETag and Last-Modified', async () => {
    const res = await t.request<Patient>('/Patient/pat-001');
    expect(res.status).toBe(200);
    expect(res.body.name?.[0]?.family).toBe(FIXTURE_PATIENTS[0]?.family);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(res.headers.get('last-modified')).toBe(new Date(res.body.meta?.lastUpdated ?? '').toUTCString());
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('serves the types the chart ignores for the messy patient, by 64-character ids (issue 13)', async () => {
    for (const type of ['Claim', 'ExplanationOfBenefit', 'ImagingStudy', 'Coverage']) {
      const found = await t.request<Bundle>(`/${type}?patient=${LONG_RECORD_PATIENT_ID}&_count=1`);
      expect(found.status, type).toBe(200);
      expect(found.body.total, type).toBeGreaterThan(0);
      const id = entries(found.body)[0]?.id ?? '';
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect((await t.request(`/${type}/${id}`)).status).toBe(200);
    }
    expect((await t.request<Bundle>(`/Observation?patient=${LONG_RECORD_PATIENT_ID}&_summary=count`)).body.total).toBeGreaterThan(300);
    const uncategorized = await t.request<Bundle>('/Observation?patient=pat-030&category:missing=true&_sort=-date&_count=100');
    expect(entries(uncategorized.body).map((o) => (o as Observation).code.coding?.[0]?.code)).toEqual(['55758-7']);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await t.request('/Patient/pat-nope');
    expect(missing.status).toBe(404);
    expect(issueCode(missing.body)).toBe('not-found');
    expect((await t.request('/Patient/bad_id!')).status).toBe(400);
  });
});

describe('search', () => {
  it('pages with absolute self/next/previous links, fullUrl and total', async () => {
    const first = await t.request<Bundle>('/Observation?patient=Patient/pat-001&_count=20');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(50);
    expect(entries(first.body)).toHaveLength(20);
    expect(first.body.entry?.[0]?.fullUrl).toBe(`${t.base}/Observation/${first.body.entry?.[0]?.resource?.id}`);
    expect(link(first.body, 'self')).toMatch(new RegExp(`^${t.base}/Observation\\?`));
    expect(link(first.body, 'previous')).toBeUndefined();
    const nextUrl = link(first.body, 'next');
    expect(nextUrl).toBeDefined();
    const second = await t.request<Bundle>(nextUrl ?? '');
    expect(entries(second.body)).toHaveLength(20);
    expect(link(second.body, 'previous')).toContain('_offset=0');
    const third = await t.request<Bundle>(link(second.body, 'next') ?? '');
    expect(entries(third.body)).toHaveLength(10);
    expect(link(third.body, 'next')).toBeUndefined();
    const ids = [first, second, third].flatMap((r) => entries(r.body).map((e) => e.id));
    expect(new Set(ids).size).toBe(50);
  });

  it('defaults _count to 50 and caps it at 200', async () => {
    const all = await t.request<Bundle>('/Observation?patient=Patient/pat-900');
    expect(entries(all.body)).toHaveLength(50);
    const capped = await t.request<Bundle>('/Observation?patient=Patient/pat-900&_count=5000');
    expect(entries(capped.body)).toHaveLength(200);
  });

  it('rewrites a bare id in patient= and subject= to Patient/{id}', async () => {
    const bare = await t.request<Bundle>('/Observation?patient=pat-001&_count=1');
    const typed = await t.request<Bundle>('/Observation?patient=Patient/pat-001&_count=1');
    expect(bare.body.total).toBe(50);
    expect(bare.body.total).toBe(typed.body.total);
    const subject = await t.request<Bundle>('/Condition?subject=pat-002');
    expect(subject.body.total).toBeGreaterThan(0);
    expect(entries(subject.body).every((c) => (c as { subject?: { reference?: string } }).subject?.reference === 'Patient/pat-002')).toBe(true);
    const absolute = await t.request<Bundle>(`/Observation?subject=${encodeURIComponent(`${t.base}/Patient/pat-001`)}&_count=1`);
    expect(absolute.body.total).toBe(50);
  });

  it('answers 400 OperationOutcome for unknown, chained and unsupported parameters', async () => {
    for (const query of ['foo=bar', 'subject.name=Ada', '_has:Observation:patient:code=1', 'value-quantity=gt5', 'code:text=x', '_count=abc', 'date=yesterday']) {
      const res = await t.request<OperationOutcome>(`/Observation?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(['not-supported', 'invalid'], query).toContain(issueCode(res.body));
    }
  });

  it('includes MedicationRequest:medication and Observation:performer with search.mode include', async () => {
    const meds = await t.request<Bundle>('/MedicationRequest?patient=pat-001&_include=MedicationRequest:medication');
    const included = entries(meds.body, 'include');
    expect(included.length).toBeGreaterThan(0);
    expect(included.every((r) => r.resourceType === 'Medication')).toBe(true);
    const referenced = entries(meds.body, 'match').flatMap((r) => {
      const ref = (r as { medicationReference?: { reference?: string } }).medicationReference?.reference;
      return ref ? [ref] : [];
    });
    expect(included.map((r) => `Medication/${r.id}`).sort()).toEqual([...new Set(referenced)].sort());
    expect(meds.body.total).toBe(entries(meds.body, 'match').length);

    const obs = await t.request<Bundle>('/Observation?patient=pat-001&_count=5&_include=Observation:performer');
    expect(entries(obs.body, 'include').map((r) => r.resourceType)).toContain('Practitioner');
    expect(validateResource(obs.body)).toEqual([]);
  });

  it('supports _revinclude, _sort, _lastUpdated, _elements and _summary=count', async () => {
    const rev = await t.request<Bundle>('/Patient?_id=pat-003&_revinclude=AllergyIntolerance:patient');
    expect(entries(rev.body, 'match').map((r) => r.id)).toEqual(['pat-003']);
    expect(entries(rev.body, 'include').every((r) => r.resourceType === 'AllergyIntolerance')).toBe(true);
    expect(entries(rev.body, 'include').length).toBeGreaterThan(0);

    const sorted = await t.request<Bundle>('/Observation?patient=pat-001&code=2823-3&_sort=-date');
    const dates = entries(sorted.body).map((o) => (o as Observation).effectiveDateTime ?? '');
    expect(dates.length).toBe(5);
    expect(dates).toEqual([...dates].sort().reverse());

    expect((await t.request<Bundle>('/Patient?_lastUpdated=gt2000-01-01&_count=1')).body.total).toBe(buildSeed().patients.length);
    expect((await t.request<Bundle>('/Patient?_lastUpdated=lt2000-01-01')).body.total).toBe(0);

    const slim = await t.request<Bundle>('/Observation?patient=pat-001&_count=1&_elements=code');
    const first = entries(slim.body)[0] as Observation;
    expect(first.code).toBeDefined();
    expect(first.valueQuantity).toBeUndefined();
    expect(first.meta?.tag?.map((x) => x.code)).toContain('SUBSETTED');

    const count = await t.request<Bundle>('/Observation?patient=pat-001&_summary=count');
    expect(count.body.total).toBe(50);
    expect(count.body.entry).toBeUndefined();
  });

  it('searches by POST _search with form parameters', async () => {
    const res = await t.request<Bundle>('/Observation/_search', {
      method: 'POST',
      body: 'patient=pat-001&category=laboratory&_count=100',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(30);
  });

  it('answers patient= over the big patient correctly (and quickly)', async () => {
    const started = performance.now();
    const res = await t.request<Bundle>(`/Observation?patient=${BIG_PATIENT_ID}&code=718-7&_sort=-date&_count=10`);
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(720);
    expect(entries(res.body).every((o) => (o as Observation).subject?.reference === `Patient/${BIG_PATIENT_ID}`)).toBe(true);
    const all = await t.request<Bundle>(`/Observation?patient=${BIG_PATIENT_ID}&_count=1`);
    expect(all.body.total).toBeGreaterThanOrEqual(5000);
    console.info(`[note] big-patient search (code + sort) answered in ${elapsed.toFixed(0)} ms over HTTP`);
  });

  it('applies the latency knob to every response', async () => {
    t.knobs.fhirLatencyMs = 150;
    try {
      const started = performance.now();
      const res = await t.request('/metadata', { token: null });
      expect(res.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      t.knobs.fhirLatencyMs = 0;
    }
  });

  it('answers 404 not-supported for an unknown resource type and 405 for a wrong method', async () => {
    const unknown = await t.request('/Spaceship?name=x');
    expect(unknown.status).toBe(404);
    expect(issueCode(unknown.body)).toBe('not-supported');
    const patch = await t.request('/Patient/pat-001', { method: 'PATCH', body: [] });
    expect(patch.status).toBe(405);
  });
});
