/**
 * Document content (Binary) at the proxy: released only as the resource its securityContext
 * names would be. One test per way a patient could reach someone else's document.
 */
import type { Binary, Consent, DocumentReference, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { authorizeFhirRequest, parseFhirRequest, ProxyError, type ResourceGrant } from '../fhir';
import { LABELS, restrictLabels } from './build';
import type { ConsentContext } from './enforce';
import { NOW } from './fixtures';
import { runProxyRequest, type EhrAnswer, type EhrCall, type ProxyObservations } from './proxy-pipeline';

const BASE = 'http://ehr.test/fhir';
const grants: ResourceGrant[] = [
  { context: 'patient', resourceType: 'Binary', permissions: new Set(['r']) },
  { context: 'patient', resourceType: 'DocumentReference', permissions: new Set(['r', 's']) },
];
const doc = (id: string, patient: string, security?: DocumentReference['meta']): DocumentReference => ({
  resourceType: 'DocumentReference', id, status: 'current', subject: { reference: `Patient/${patient}` }, content: [{ attachment: { url: `Binary/b-${id}` } }], ...(security ? { meta: security } : {}),
});
const bin = (id: string, context?: string): Binary => ({ resourceType: 'Binary', id, contentType: 'application/pdf', data: 'JVBERi0=', ...(context ? { securityContext: { reference: context } } : {}) });

function fakeEhr(resources: Resource[]) {
  const store = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const calls: string[] = [];
  const ok = (body: unknown, status = 200): EhrAnswer => ({ status, body, etag: null, lastModified: null, location: null, retryAfter: null, date: null });
  const ehr: EhrCall = async (req) => {
    const key = `${req.resourceType}/${req.id}`;
    calls.push(`${req.interaction} ${key}`);
    return store.has(key) ? ok(store.get(key)) : ok({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] }, 404);
  };
  return { ehr, calls };
}

const ctx = (consents: Consent[]): ConsentContext => ({ patientId: 'pat-001', actor: { reference: 'Practitioner/prac-002', roles: [], memberOf: [] }, purposeOfUse: 'TREAT', consents, now: NOW, policy: { noConsent: 'permit' } });

async function read(id: string, resources: Resource[], consents: Consent[] = []) {
  const { ehr, calls } = fakeEhr(resources);
  const request = authorizeFhirRequest(parseFhirRequest('GET', ['Binary', id], new URLSearchParams()), { patientId: 'pat-001', grants });
  const seen: ProxyObservations = { consent: null, decidedBy: [], hidden: 0, alerts: 0 };
  try {
    const a = await runProxyRequest({ request, patientId: 'pat-001', fhirBase: BASE, proxyBase: '/api/l/L1/fhir' }, { ehr, loadConsent: async () => ctx(consents) }, seen);
    return { status: a.status, body: a.body as Binary, calls, code: undefined };
  } catch (e) {
    if (!(e instanceof ProxyError)) throw e;
    return { status: e.status, body: undefined, calls, code: e.code };
  }
}

describe('Binary through the proxy', () => {
  it('releases the content of the patient\'s own document, after reading that document', async () => {
    const r = await read('b1', [bin('b1', 'DocumentReference/d1'), doc('d1', 'pat-001')]);
    expect(r.status).toBe(200);
    expect(r.body?.data).toBe('JVBERi0=');
    expect(r.calls).toEqual(['read Binary/b1', 'read DocumentReference/d1']);
  });

  it('accepts an absolute securityContext under the EHR base, and one naming the patient', async () => {
    expect((await read('b1', [bin('b1', `${BASE}/DocumentReference/d1`), doc('d1', 'pat-001')])).status).toBe(200);
    expect((await read('b2', [bin('b2', 'Patient/pat-001')])).status).toBe(200);
  });

  it.each([
    ['another patient\'s document', [bin('b1', 'DocumentReference/d2'), doc('d2', 'pat-002')]],
    ['another patient named directly', [bin('b1', 'Patient/pat-002')]],
    ['no securityContext', [bin('b1')]],
    ['a context on another server', [bin('b1', 'https://evil.example/fhir/DocumentReference/d1'), doc('d1', 'pat-001')]],
    ['a context that does not exist', [bin('b1', 'DocumentReference/gone')]],
    ['a context of a type outside the compartment', [bin('b1', 'Organization/o1'), { resourceType: 'Organization', id: 'o1' } as Resource]],
  ])('answers not-found for %s', async (_, resources) => {
    const r = await read('b1', resources as Resource[]);
    expect(r.code).toBe('not-found');
    expect(r.status).toBe(404);
  });

  it('withholds from a clinician the content of a document the patient\'s consent restricts by label', async () => {
    const restricted = doc('d1', 'pat-001', { security: [LABELS.hiv] });
    const consent = { ...restrictLabels({ patientId: 'pat-001', labels: [LABELS.hiv], id: 'c-hiv' }), meta: { versionId: '1' } } as Consent;
    expect((await read('b1', [bin('b1', 'DocumentReference/d1'), restricted])).status).toBe(200);
    expect((await read('b1', [bin('b1', 'DocumentReference/d1'), restricted], [consent])).code).toBe('not-found');
  });

  it('passes a missing Binary on as the EHR\'s 404', async () => {
    const r = await read('nope', []);
    expect(r.status).toBe(404);
    expect(r.calls).toEqual(['read Binary/nope']);
  });

  it('is read by id only: no search, history, parameters or writes', () => {
    const code = (fn: () => unknown) => { try { fn(); return 'no error'; } catch (e) { return (e as ProxyError).code; } };
    expect(code(() => parseFhirRequest('GET', ['Binary'], new URLSearchParams()))).toBe('method-not-allowed');
    expect(code(() => parseFhirRequest('GET', ['Binary', 'b1', '_history'], new URLSearchParams()))).toBe('method-not-allowed');
    expect(code(() => parseFhirRequest('GET', ['Binary', 'b1'], new URLSearchParams('_count=1')))).toBe('invalid-parameter');
    expect(code(() => parseFhirRequest('PUT', ['Binary', 'b1'], new URLSearchParams()))).toBe('method-not-allowed');
    expect(code(() => authorizeFhirRequest(parseFhirRequest('GET', ['Binary', 'b1'], new URLSearchParams()), { patientId: 'pat-001', grants: grants.slice(1) }))).toBe('scope-not-granted');
  });
});
