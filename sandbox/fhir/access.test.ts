import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './testing';
import { entries, issueCode, startTestServer } from './testing';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});

afterAll(async () => {
  await t.close();
});

function labFor(patientId: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/${patientId}` },
    valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

describe('patient-context token (patient/*.rs, SMART v2)', () => {
  it('reads its own patient and Observations', async () => {
    expect((await t.request<Patient>('/Patient/pat-001', { token: 'patient' })).status).toBe(200);
    expect((await t.request<Observation>('/Observation/obs-001-0001', { token: 'patient' })).status).toBe(200);
  });

  it("answers 404 (not 403) for another patient's Observation and Patient", async () => {
    const clinician = await t.request('/Observation/obs-002-0001', { token: 'clinician' });
    expect(clinician.status).toBe(200);
    const obs = await t.request('/Observation/obs-002-0001', { token: 'patient' });
    expect(obs.status).toBe(404);
    expect(issueCode(obs.body)).toBe('not-found');
    expect((await t.request('/Patient/pat-002', { token: 'patient' })).status).toBe(404);
    expect((await t.request('/Observation/obs-002-0001/_history', { token: 'patient' })).status).toBe(404);
    expect((await t.request('/Observation/obs-002-0001/_history/1', { token: 'patient' })).status).toBe(404);
  });

  it('answers 403 to a search that names another patient, however it is spelled', async () => {
    for (const query of ['patient=pat-002', 'patient=Patient/pat-002', 'subject=Patient/pat-002', 'subject:Patient=pat-002', 'patient=pat-001,pat-002']) {
      const res = await t.request(`/Observation?${query}`, { token: 'patient' });
      expect(res.status, query).toBe(403);
      expect(issueCode(res.body), query).toBe('forbidden');
    }
    expect((await t.request('/Patient?_id=pat-002', { token: 'patient' })).status).toBe(403);
  });

  it('confines searches without a patient parameter to the token patient', async () => {
    const obs = await t.request<Bundle>('/Observation?category=laboratory&_count=200', { token: 'patient' });
    expect(obs.body.total).toBe(30);
    expect(entries(obs.body).every((o) => (o as Observation).subject?.reference === 'Patient/pat-001')).toBe(true);
    const patients = await t.request<Bundle>('/Patient', { token: 'patient' });
    expect(entries(patients.body).map((p) => p.id)).toEqual(['pat-001']);
    const own = await t.request<Bundle>('/Observation?patient=pat-001&_count=1', { token: 'patient' });
    expect(own.body.total).toBe(50);
  });

  it('reads shared resources (Practitioner, Medication) regardless of compartment', async () => {
    expect((await t.request('/Practitioner/prac-002', { token: 'patient' })).status).toBe(200);
    const meds = await t.request<Bundle>('/Medication', { token: 'patient' });
    expect(meds.body.total).toBe(8);
  });

  it('does not leak other patients through _include, _revinclude or history', async () => {
    const rev = await t.request<Bundle>('/Practitioner?_id=prac-001&_revinclude=Observation:performer', { token: 'patient' });
    expect(entries(rev.body, 'include').every((o) => (o as Observation).subject?.reference === 'Patient/pat-001')).toBe(true);
    const history = await t.request<Bundle>('/Observation/_history?_count=200', { token: 'patient' });
    expect(history.body.total).toBe(50);
    const system = await t.request<Bundle>('/_history?_count=200', { token: 'patient' });
    const subjects = entries(system.body).flatMap((r) => {
      const ref = (r as { subject?: { reference?: string }; patient?: { reference?: string } }).subject ?? (r as { patient?: { reference?: string } }).patient;
      return ref?.reference?.startsWith('Patient/') ? [ref.reference] : [];
    });
    expect(subjects.length).toBeGreaterThan(0);
    expect(subjects.every((s) => s === 'Patient/pat-001')).toBe(true);
  });

  it('writes only into its own compartment, with the scopes it holds', async () => {
    const own = await t.request<Observation>('/Observation', { token: 'patient', method: 'POST', body: labFor('pat-001') });
    expect(own.status).toBe(201);
    const other = await t.request('/Observation', { token: 'patient', method: 'POST', body: labFor('pat-002') });
    expect(other.status).toBe(403);
    const moved = await t.request(`/Observation/${own.body.id}`, { token: 'patient', method: 'PUT', body: { ...own.body, subject: { reference: 'Patient/pat-002' } } });
    expect(moved.status).toBe(403);
    const foreign = await t.request<Observation>('/Observation/obs-002-0001', { token: 'clinician' });
    expect((await t.request('/Observation/obs-002-0001', { token: 'patient', method: 'PUT', body: foreign.body })).status).toBe(404);
    // patient/*.rs grants no delete and no Condition create.
    expect((await t.request(`/Observation/${own.body.id}`, { token: 'patient', method: 'DELETE' })).status).toBe(403);
    const condition = { resourceType: 'Condition', subject: { reference: 'Patient/pat-001' }, code: { text: 'Headache' } };
    expect((await t.request('/Condition', { token: 'patient', method: 'POST', body: condition })).status).toBe(403);
  });

  it('cannot probe other patients through If-None-Exist', async () => {
    const body = labFor('pat-001');
    const res = await t.request<Observation>('/Observation', { token: 'patient', method: 'POST', body, headers: { 'if-none-exist': '_id=obs-002-0001' } });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe('obs-002-0001');
  });
});

describe('SMART v1 scopes', () => {
  it('patient/*.read reads and searches but does not write, except where .write is granted', async () => {
    expect((await t.request('/Observation?patient=pat-001&_count=1', { token: 'patientV1' })).status).toBe(200);
    expect((await t.request('/Observation/obs-001-0001', { token: 'patientV1' })).status).toBe(200);
    expect((await t.request('/Observation', { token: 'patientV1', method: 'POST', body: labFor('pat-001') })).status).toBe(403);
    const allergy = {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      patient: { reference: 'Patient/pat-001' },
      code: { text: 'Cat dander' },
    };
    expect((await t.request('/AllergyIntolerance', { token: 'patientV1', method: 'POST', body: allergy })).status).toBe(201);
  });

  it('user/*.read + user/*.write let a clinician read and write any patient', async () => {
    const read = await t.request<Patient>('/Patient/pat-014', { token: 'clinicianV1' });
    expect(read.status).toBe(200);
    const write = await t.request('/Patient/pat-014', { token: 'clinicianV1', method: 'PUT', body: read.body });
    expect(write.status).toBe(200);
  });
});

describe('SMART v2 scopes', () => {
  it('user/*.rs cannot write; user/Observation.rs cannot read Patients', async () => {
    const read = await t.request<Patient>('/Patient/pat-015', { token: 'clinicianReadOnly' });
    expect(read.status).toBe(200);
    const write = await t.request('/Patient/pat-015', { token: 'clinicianReadOnly', method: 'PUT', body: read.body });
    expect(write.status).toBe(403);
    expect(issueCode(write.body)).toBe('forbidden');
    expect((await t.request('/Patient/pat-015', { token: 'clinicianObservationsOnly' })).status).toBe(403);
    expect((await t.request('/Observation?patient=pat-015&_count=1', { token: 'clinicianObservationsOnly' })).status).toBe(200);
  });

  it('honours a ?category= restriction on the scope', async () => {
    const labs = await t.request<Bundle>('/Observation?_count=200', { token: 'patientLabsOnly' });
    expect(labs.status).toBe(200);
    expect(labs.body.total).toBe(30);
    expect(entries(labs.body).every((o) => (o as Observation).category?.[0]?.coding?.[0]?.code === 'laboratory')).toBe(true);
    expect((await t.request('/Observation/obs-001-0001', { token: 'patientLabsOnly' })).status).toBe(404); // a vital sign
  });

  it('refuses tokens without resource scopes, and patient scopes without a patient in context', async () => {
    expect((await t.request('/Patient/pat-001', { token: 'noResourceScopes' })).status).toBe(403);
    expect((await t.request('/_history', { token: 'noResourceScopes' })).status).toBe(403);
    expect((await t.request('/Observation?patient=pat-001', { token: 'patientScopeNoContext' })).status).toBe(403);
  });
});
