/**
 * Issue 11, request level: one test per attack, each asserting the exact code.
 */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { authorizeFhirRequest } from './authorize';
import { ProxyError } from './outcome';
import { parseFhirRequest, parseIfNoneExist } from './parse-request';
import type { ResourceGrant } from './grants';
import { parseGrantedScopes } from '../smart/scopes';
import { keepSecurityLabels, referencesToVerify } from './write-checks';

const q = (s = '') => new URLSearchParams(s);
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ProxyError ? e.code : `unexpected ${String(e)}`;
  }
  return 'no error';
};
const all: ResourceGrant[] = [{ context: 'patient', resourceType: '*', permissions: new Set(['c', 'r', 'u', 'd', 's']) }];
const pinned = (type: string, query: string) => authorizeFhirRequest(parseFhirRequest('GET', [type], q(query)), { patientId: 'pat-001', grants: all }).query;

describe('search parameters are normalised, then must be defined for the type', () => {
  it.each([
    ['Observation?for= (Task only) cannot switch off the pin', 'Observation', 'for=Patient/pat-001'],
    ['Observation?actor= (Appointment only)', 'Observation', 'actor=Patient/pat-001'],
    ['a made-up parameter', 'Condition', 'whatever=1'],
    ['a parameter of another type (Patient?code=)', 'Patient', 'code=1'],
    ['a type modifier on the patient parameter', 'Observation', 'subject:Patient=pat-002'],
    ['an identifier modifier on the patient parameter', 'Observation', 'patient:identifier=MRN-1'],
    ['an unknown modifier', 'Observation', 'code:weird=1'],
    ['a leading space before _has', 'Patient', ' _has:Observation:patient:code=1'],
    ['_HAS in capitals', 'Patient', '_HAS:Observation:patient:code=1'],
    ['_REVINCLUDE in capitals', 'Patient', '_REVINCLUDE=Observation:patient'],
    ['a name still percent-encoded (double encoding)', 'Observation', '%255Fhas%3AObservation=1'],
    ['_elements (drops meta.security and dates)', 'Observation', '_elements=code'],
    ['_summary=data (drops what consent judges on)', 'Observation', '_summary=data'],
    ['_total with a value not in R4', 'Observation', '_total=exactly'],
  ])('refuses %s (invalid-parameter)', (_name, type, query) => {
    expect(code(() => parseFhirRequest('GET', [type], q(query)))).toBe('invalid-parameter');
  });

  it('takes a name in any case or with spaces as the defined one, so the pin judges what the EHR sees', () => {
    expect(code(() => pinned('Observation', 'PATIENT=Patient/pat-002'))).toBe('outside-compartment');
    expect(code(() => pinned('Observation', ' subject =Patient/pat-002'))).toBe('outside-compartment');
    const out = pinned('Observation', 'Code=718-7&_SORT=-date');
    expect([...out.keys()].sort()).toEqual(['_sort', 'code', 'patient']);
    expect(out.get('patient')).toBe('Patient/pat-001');
  });

  it('takes a patient value only as the id or Patient/{id}: another prefix cannot slip past the pin', () => {
    expect(code(() => pinned('Observation', 'patient=pat-001'))).toBe('no error');
    for (const other of ['x/Patient/pat-001', 'Group/g/Patient/pat-001', '../Patient/pat-001', 'urn:x/Patient/pat-001']) {
      expect(code(() => pinned('Observation', `patient=${encodeURIComponent(other)}`)), other).toBe('outside-compartment');
      expect(code(() => pinned('Observation', `subject=${encodeURIComponent(`Patient/pat-001,${other}`)}`)), other).toBe('outside-compartment');
    }
    // An absolute URL, even to this patient, never reaches the pin: it is refused as a parameter.
    expect(code(() => pinned('Observation', 'patient=https://ehr.example.org/fhir/Patient/pat-001'))).toBe('invalid-parameter');
  });

  it('still lets the app’s own searches through', () => {
    for (const [type, query] of [
      ['Observation', 'category=laboratory&_sort=-date&_count=200'], ['Observation', 'patient=Patient/pat-001&_summary=count'], ['Observation', 'code=http://loinc.org|2160-0'],
      ['MedicationRequest', '_include=MedicationRequest:medication&_count=100'], ['Condition', 'clinical-status=active'], ['Observation', '_lastUpdated=ge2026-01-01&_count=500'],
      ['Observation', 'identifier=urn:housecall:idempotency|k1'], ['Task', '_count=50'], ['Observation', 'code:not=718-7&_total=accurate'],
    ] as const) expect(code(() => pinned(type, query))).toBe('no error');
  });
});

describe('compartment URLs are not an interaction (checklist #5)', () => {
  it('refuses Patient/B/Observation before anything is asked (invalid-path)', () => {
    expect(code(() => parseFhirRequest('GET', ['Patient', 'pat-002', 'Observation'], q()))).toBe('invalid-path');
  });
});

describe('If-None-Exist is a search the proxy parses and pins', () => {
  it('accepts only the idempotency identifier the sync engine sends', () => {
    expect(parseIfNoneExist('DocumentReference', 'identifier=urn:housecall:idempotency|0f8e-11')?.get('identifier')).toBe('urn:housecall:idempotency|0f8e-11');
    expect(parseIfNoneExist('DocumentReference', null)).toBeNull();
  });
  it.each([
    'patient=Patient/pat-002&code=1',
    'identifier=urn:housecall:idempotency|k1&patient=Patient/pat-002',
    'identifier=MRN-100002',
    'subject:Patient=pat-002',
    '_has:Observation:patient:code=1',
  ])('refuses %s (invalid-parameter)', (header) => {
    expect(code(() => parseIfNoneExist('DocumentReference', header))).toBe('invalid-parameter');
  });
});

describe('any write to a Patient is for the launch patient only, whatever the token allows', () => {
  it.each([
    ['DELETE Patient/B', 'DELETE', ['Patient', 'pat-002']],
    ['PUT Patient/B', 'PUT', ['Patient', 'pat-002']],
    ['POST Patient (a new patient)', 'POST', ['Patient']],
  ] as const)('refuses %s before the EHR is asked (outside-compartment)', (_name, method, path) => {
    expect(code(() => authorizeFhirRequest(parseFhirRequest(method, [...path], q()), { patientId: 'pat-001', grants: all }))).toBe('outside-compartment');
  });
  it('lets the launch patient’s own record be written', () => {
    expect(code(() => authorizeFhirRequest(parseFhirRequest('PUT', ['Patient', 'pat-001'], q()), { patientId: 'pat-001', grants: all }))).toBe('no error');
  });
});

describe('a body’s references stay in the launch patient’s compartment', () => {
  const ctx = { patientId: 'pat-001', fhirBase: 'http://ehr.test/fhir' };
  const note = (extra: Record<string, unknown>) => ({ resourceType: 'DocumentReference', status: 'current', subject: { reference: 'Patient/pat-001' }, content: [], ...extra }) as Resource;
  it.each([
    ['author: another Patient', { author: [{ reference: 'Patient/pat-002' }] }],
    ['relatesTo: a document on another server', { relatesTo: [{ code: 'appends', target: { reference: 'https://other.example/fhir/DocumentReference/d9' } }] }],
    ['author: a RelatedPerson', { author: [{ reference: 'RelatedPerson/rp-1' }] }],
    ['context.related: a Group', { context: { related: [{ reference: 'Group/g1' }] } }],
    ['a placeholder reference', { relatesTo: [{ code: 'replaces', target: { reference: 'urn:uuid:0b0e' } }] }],
    ['a malformed reference', { author: [{ reference: 'Practitioner/../Patient/pat-002' }] }],
  ])('refuses %s (outside-compartment)', (_name, extra) => {
    expect(code(() => referencesToVerify(note(extra), ctx))).toBe('outside-compartment');
  });
  it('passes shared resources and contained ones, and asks for clinical ones to be read', () => {
    const body = note({
      author: [{ reference: 'Practitioner/prac-001' }, { reference: 'http://ehr.test/fhir/Organization/org-001' }, { reference: '#p1' }],
      relatesTo: [{ code: 'appends', target: { reference: 'DocumentReference/d1' } }], context: { encounter: [{ reference: 'Encounter/e1/_history/2' }] },
      contained: [{ resourceType: 'Practitioner', id: 'p1', managingOrganization: { reference: 'Patient/pat-002' } }],
    });
    expect(referencesToVerify(body, ctx).sort()).toEqual(['DocumentReference/d1', 'Encounter/e1']);
  });
});

describe('security labels are not the client’s to set', () => {
  const R = { system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' };
  const HRESCH = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HRESCH' };
  const stored = { resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: '3', security: [R] } } as Resource;
  it('keeps the stored labels on a body that sends none', () => {
    expect(keepSecurityLabels({ resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: '3' } } as Resource, stored).meta?.security).toEqual([R]);
    expect(keepSecurityLabels({ resourceType: 'AllergyIntolerance', id: 'a1', meta: { security: [R] } } as Resource, stored).meta?.security).toEqual([R]);
  });
  it.each([
    ['adds a purpose label (hides the data from every treating clinician)', [R, HRESCH]],
    ['removes the restricted label', []],
    ['swaps one label for another', [HRESCH]],
  ])('refuses a body that %s (security-label-change)', (_name, security) => {
    expect(code(() => keepSecurityLabels({ resourceType: 'AllergyIntolerance', id: 'a1', meta: { security } } as Resource, stored))).toBe('security-label-change');
  });
});

describe('a grant is used for no more than Housecall asked for (review #10: v1 `.write` means delete too)', () => {
  const v1 = parseGrantedScopes('patient/DocumentReference.read patient/DocumentReference.write patient/Patient.read patient/Patient.write');
  const asked = parseGrantedScopes('patient/DocumentReference.crus patient/Patient.rus');
  const run = (method: string, path: string[]) => code(() => authorizeFhirRequest(parseFhirRequest(method, path, q()), { patientId: 'pat-001', grants: v1, asked }));
  it('refuses a delete the v1 grant allows but Housecall never asked for', () => {
    expect(run('DELETE', ['DocumentReference', 'd1'])).toBe('scope-not-granted');
    expect(run('DELETE', ['Patient', 'pat-001'])).toBe('scope-not-granted');
  });
  it('passes what was asked for and granted', () => {
    expect(run('PUT', ['DocumentReference', 'd1'])).toBe('no error');
    expect(run('POST', ['DocumentReference'])).toBe('no error');
    expect(run('GET', ['DocumentReference', 'd1'])).toBe('no error');
    expect(run('PUT', ['Patient', 'pat-001'])).toBe('no error');
  });
  it('refuses a create on Patient, granted by v1 `.write` but asked as `.rus`', () => {
    expect(run('POST', ['Patient'])).toBe('scope-not-granted');
  });
});
