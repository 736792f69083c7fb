import { describe, expect, it } from 'vitest';
import { authorizeFhirRequest, authorizeWriteBody } from './authorize';
import { filterResponse, rewriteUrl } from './filter-response';
import { ProxyError } from './outcome';
import { parseFhirRequest } from './parse-request';
import type { ResourceGrant } from './grants';

const q = (s = '') => new URLSearchParams(s);
const readAll: ResourceGrant[] = [{ context: 'patient', resourceType: '*', permissions: new Set(['r', 's']) }];
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof ProxyError ? e.code : `unexpected ${String(e)}`;
  }
  return 'no error';
};

describe('parseFhirRequest', () => {
  it('recognises read, vread, search and instance history', () => {
    expect(parseFhirRequest('GET', ['Patient', 'pat-001'], q()).interaction).toBe('read');
    expect(parseFhirRequest('GET', ['Observation', 'o1', '_history', '2'], q()).interaction).toBe('vread');
    expect(parseFhirRequest('GET', ['Observation'], q('code=718-7')).interaction).toBe('search');
    expect(parseFhirRequest('GET', ['Observation', 'o1', '_history'], q()).interaction).toBe('history-instance');
  });
  it.each([
    [['..', 'Patient'], 'invalid-path'],
    [['Patient', '..'], 'invalid-path'],
    [['http:', 'evil.example', 'Patient'], 'invalid-path'],
    [['Patient', 'a/b'], 'invalid-path'],
    [['Basic', 'x'], 'unknown-resource-type'],
    [['Patient', 'x'.repeat(65)], 'invalid-id'],
    [['Patient', 'bad id'], 'invalid-id'],
    [['metadata'], 'invalid-path'],
  ])('refuses path %j with %s', (segments, expected) => {
    expect(code(() => parseFhirRequest('GET', segments, q()))).toBe(expected);
  });
  it.each([
    ['subject:Patient.name=Smith', 'invalid-parameter'],
    ['_has:Observation:patient:code=1', 'invalid-parameter'],
    ['_revinclude=Provenance:target', 'invalid-parameter'],
    ['_include=Observation:subject', 'invalid-parameter'],
    ['patient=https://evil.example/Patient/1', 'invalid-parameter'],
    ['_format=xml', 'invalid-parameter'],
  ])('refuses query %s', (query, expected) => {
    expect(code(() => parseFhirRequest('GET', ['Observation'], q(query)))).toBe(expected);
  });
  it('accepts the paging parameter of the EHR next links it rewrites to itself', () => {
    expect(parseFhirRequest('GET', ['Observation'], q('code=718-7&patient=Patient%2Fpat-001&_sort=-date&_count=100&_offset=100')).query.get('_offset')).toBe('100');
  });
  it('lets a token search name its code system', () => {
    expect(parseFhirRequest('GET', ['Observation'], q('code=http://loinc.org|2160-0')).query.get('code')).toBe('http://loinc.org|2160-0');
    expect(code(() => parseFhirRequest('GET', ['Observation'], q('subject=x,https://evil.example/Patient/1')))).toBe('invalid-parameter');
  });
  it('refuses writes to shared resources and unknown methods', () => {
    expect(code(() => parseFhirRequest('POST', ['Medication'], q()))).toBe('method-not-allowed');
    expect(code(() => parseFhirRequest('PATCH', ['Observation', 'o1'], q()))).toBe('method-not-allowed');
  });
});

describe('authorizeFhirRequest', () => {
  it('pins searches to the launch patient', () => {
    const out = authorizeFhirRequest(parseFhirRequest('GET', ['Observation'], q('category=vital-signs')), { patientId: 'pat-001', grants: readAll });
    expect(out.query.get('patient')).toBe('Patient/pat-001');
    const p = authorizeFhirRequest(parseFhirRequest('GET', ['Patient'], q()), { patientId: 'pat-001', grants: readAll });
    expect(p.query.get('_id')).toBe('pat-001');
  });
  it.each(['patient=pat-002', 'subject=Patient/pat-002', 'patient=pat-001,pat-002', 'subject=http://x/fhir/Patient/pat-002'])('refuses a search naming another patient: %s', (query) => {
    expect(code(() => authorizeFhirRequest({ interaction: 'search', resourceType: 'Observation', query: q(query) }, { patientId: 'pat-001', grants: readAll }))).toBe('outside-compartment');
  });
  it('refuses Patient?_id of another patient', () => {
    expect(code(() => authorizeFhirRequest(parseFhirRequest('GET', ['Patient'], q('_id=pat-002')), { patientId: 'pat-001', grants: readAll }))).toBe('outside-compartment');
  });
  it('refuses what the scopes do not grant', () => {
    const grants: ResourceGrant[] = [{ context: 'patient', resourceType: 'Observation', permissions: new Set(['r']) }];
    expect(code(() => authorizeFhirRequest(parseFhirRequest('GET', ['Observation'], q()), { patientId: 'p', grants }))).toBe('scope-not-granted');
    expect(code(() => authorizeFhirRequest(parseFhirRequest('GET', ['Condition', 'c1'], q()), { patientId: 'p', grants }))).toBe('scope-not-granted');
    expect(code(() => authorizeFhirRequest(parseFhirRequest('PUT', ['Observation', 'o1'], q()), { patientId: 'p', grants }))).toBe('scope-not-granted');
    expect(authorizeFhirRequest(parseFhirRequest('GET', ['Observation', 'o1'], q()), { patientId: 'p', grants }).id).toBe('o1');
  });
});

describe('authorizeFhirRequest under granular v2 scopes', () => {
  const labs: ResourceGrant[] = [{ context: 'patient', resourceType: 'Observation', permissions: new Set(['r', 's']), restriction: { category: ['laboratory'] } }];
  const search = (query: string, grants = labs) => authorizeFhirRequest(parseFhirRequest('GET', ['Observation'], q(query)), { patientId: 'pat-001', grants });
  it.each([
    'category=vital-signs',
    'category=laboratory,vital-signs',
    'category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
  ])('refuses a search outside the granted category before it leaves: %s', (query) => {
    expect(code(() => search(query))).toBe('scope-not-granted');
  });
  it('lets a search within the category through, with or without its system', () => {
    expect(search('category=laboratory&code=718-7').query.get('category')).toBe('laboratory');
    expect(search('category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory').query.get('category')).toBe('http://terminology.hl7.org/CodeSystem/observation-category|laboratory');
  });
  it('pins the granted category on a search that names none', () => {
    const out = search('code=718-7');
    expect(out.query.getAll('category')).toEqual(['laboratory']);
    expect(out.query.get('patient')).toBe('Patient/pat-001');
  });
  it('refuses a read by id, which cannot be judged before the EHR answers', () => {
    expect(code(() => authorizeFhirRequest(parseFhirRequest('GET', ['Observation', 'o1'], q()), { patientId: 'pat-001', grants: labs }))).toBe('scope-not-granted');
  });
  it('is widened by an unrestricted grant for the same type, and a second restricted grant adds its values', () => {
    expect(search('category=vital-signs', [...labs, ...readAll]).query.get('category')).toBe('vital-signs');
    const vitals: ResourceGrant = { context: 'patient', resourceType: 'Observation', permissions: new Set(['s']), restriction: { category: ['vital-signs'] } };
    expect(search('category=vital-signs', [...labs, vitals]).query.get('category')).toBe('vital-signs');
    expect(code(() => search('category=social-history', [...labs, vitals]))).toBe('scope-not-granted');
  });
});

describe('authorizeWriteBody', () => {
  const ctx = { patientId: 'pat-001', fhirBase: 'http://ehr.test/fhir' };
  const note = (subject: string) => ({ resourceType: 'DocumentReference', status: 'current', subject: { reference: subject }, content: [] });
  it('lets a write inside the launch patient’s compartment through', () => {
    expect(code(() => authorizeWriteBody(parseFhirRequest('POST', ['DocumentReference'], q()), note('Patient/pat-001'), ctx))).toBe('no error');
    expect(code(() => authorizeWriteBody(parseFhirRequest('POST', ['DocumentReference'], q()), note('http://ehr.test/fhir/Patient/pat-001'), ctx))).toBe('no error');
    expect(code(() => authorizeWriteBody(parseFhirRequest('POST', ['DocumentReference'], q()), note('Patient/pat-001/_history/3'), ctx))).toBe('no error');
    expect(code(() => authorizeWriteBody(parseFhirRequest('PUT', ['Patient', 'pat-001'], q()), { resourceType: 'Patient', id: 'pat-001' }, ctx))).toBe('no error');
  });
  it.each([
    ['a create for another patient', 'POST', ['DocumentReference'], note('Patient/pat-002')],
    ['a create naming another patient by absolute URL', 'POST', ['DocumentReference'], note('https://other.example/fhir/Patient/pat-002')],
    ['a create naming the same id on another server', 'POST', ['DocumentReference'], note('https://other.example/fhir/Patient/pat-001')],
    ['a create naming the same id under a look-alike base', 'POST', ['DocumentReference'], note('http://ehr.test/fhirevil/Patient/pat-001')],
    ['a create naming no patient', 'POST', ['DocumentReference'], { resourceType: 'DocumentReference', status: 'current', content: [] }],
    ['an update moving an allergy to another patient', 'PUT', ['AllergyIntolerance', 'a1'], { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/pat-002' } }],
    ['an update of another Patient', 'PUT', ['Patient', 'pat-002'], { resourceType: 'Patient', id: 'pat-002' }],
  ] as const)('refuses %s before it leaves (outside-compartment)', (_name, method, path, body) => {
    expect(code(() => authorizeWriteBody(parseFhirRequest(method, [...path], q()), body, ctx))).toBe('outside-compartment');
  });
  it('refuses an update whose body names another resource than its path', () => {
    expect(code(() => authorizeWriteBody(parseFhirRequest('PUT', ['Patient', 'pat-001'], q()), { resourceType: 'Patient', id: 'pat-002' }, ctx))).toBe('invalid-body');
  });
});

describe('filterResponse', () => {
  const ctx = { patientId: 'pat-001', fhirBase: 'http://ehr.test/fhir', proxyBase: '/api/l/L1/fhir' };
  it('makes a read outside the compartment look missing', () => {
    const req = parseFhirRequest('GET', ['Observation', 'o9'], q());
    expect(code(() => filterResponse(req, { resourceType: 'Observation', id: 'o9', subject: { reference: 'Patient/pat-002' } }, ctx))).toBe('not-found');
    expect(filterResponse(req, { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/pat-001' } }, ctx)).toMatchObject({ id: 'o1' });
  });
  it('drops foreign entries, adjusts total and rewrites or drops links', () => {
    const bundle = {
      resourceType: 'Bundle', type: 'searchset', total: 2,
      link: [{ relation: 'next', url: 'http://ehr.test/fhir/Observation?page=2' }, { relation: 'other', url: 'https://elsewhere.test/x' }],
      entry: [
        { fullUrl: 'http://ehr.test/fhir/Observation/o1', resource: { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/pat-001' } } },
        { fullUrl: 'http://ehr.test/fhir/Observation/o2', resource: { resourceType: 'Observation', id: 'o2', subject: { reference: 'Patient/pat-002' } } },
      ],
    };
    const out = filterResponse(parseFhirRequest('GET', ['Observation'], q()), bundle, ctx) as any;
    expect(out.total).toBe(1);
    expect(out.entry.map((e: any) => e.resource.id)).toEqual(['o1']);
    expect(out.entry[0].fullUrl).toBe('/api/l/L1/fhir/Observation/o1');
    expect(out.link).toEqual([{ relation: 'next', url: '/api/l/L1/fhir/Observation?page=2' }]);
  });
  it('keeps the EHR’s outcome entry on the search (results left out), and no OperationOutcome posing as a match', () => {
    const warning = { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'suppressed' }] };
    const bundle = {
      resourceType: 'Bundle', type: 'searchset',
      entry: [
        { resource: { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/pat-001' } }, search: { mode: 'match' } },
        { resource: warning, search: { mode: 'outcome' } },
        { resource: { ...warning, id: 'x' }, search: { mode: 'match' } },
      ],
    };
    const out = filterResponse(parseFhirRequest('GET', ['AllergyIntolerance'], q()), bundle, ctx) as any;
    expect(out.entry.map((e: any) => [e.resource.resourceType, e.search.mode])).toEqual([['AllergyIntolerance', 'match'], ['OperationOutcome', 'outcome']]);
  });
  it('keeps the patient’s own entries named relatively, absolutely under the EHR’s base or by version, and drops the same id on another server', () => {
    const obs = (id: string, subject: string) => ({ fullUrl: `http://ehr.test/fhir/Observation/${id}`, resource: { resourceType: 'Observation', id, subject: { reference: subject } } });
    const bundle = {
      resourceType: 'Bundle', type: 'searchset', total: 5,
      entry: [
        obs('o1', 'Patient/pat-001'),
        obs('o2', 'http://ehr.test/fhir/Patient/pat-001'),
        obs('o3', 'Patient/pat-001/_history/2'),
        obs('o4', 'https://other.example/fhir/Patient/pat-001'),
        obs('o5', 'urn:uuid:0b6a9d2e-6d7e-4f51-9a55-2c7e1c3f8b11'),
      ],
    };
    const out = filterResponse(parseFhirRequest('GET', ['Observation'], q()), bundle, ctx) as any;
    expect(out.entry.map((e: any) => e.resource.id)).toEqual(['o1', 'o2', 'o3']);
    expect(out.total).toBe(3);
    const read = parseFhirRequest('GET', ['Observation', 'o4'], q());
    expect(code(() => filterResponse(read, bundle.entry[3]!.resource, ctx))).toBe('not-found');
  });
  it('does not treat a look-alike base as the EHR', () => {
    expect(rewriteUrl('http://ehr.test/fhirevil/Patient', 'http://ehr.test/fhir', '/p')).toBeUndefined();
  });
});
