/**
 * The proxy route end to end for the consent review's side channels that had no test: POST
 * `_search` (#7), the consent store down (#30), the audit store down (#60), a malformed write
 * body (#63), parameter injection (#66), client switches (#70) and the request id that ties an
 * answer to its AuditEvent (#58). The EHR is the scripted server; the store is the test's own.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import { restrictActor } from '@/lib/consent';
import type { Store } from '@/lib/store';
import type { SmartConfig } from '@/lib/smart/config';
import { newBrowserSession } from '@/lib/smart/session';
import { testConfig, useTestAuthorizationServer } from '@/lib/smart/test-harness';

const h = useTestAuthorizationServer();
const current: { store?: Store; config?: SmartConfig } = {};

vi.mock('@/lib/store', async (original) => ({ ...(await original<typeof import('@/lib/store')>()), getStore: async () => current.store! }));
vi.mock('@/lib/smart', async (original) => ({ ...(await original<typeof import('@/lib/smart')>()), smartConfig: () => current.config! }));

const route = await import('./route');

beforeAll(() => {
  current.config = testConfig(h.as.fhirBase);
});
beforeEach(() => {
  current.store = h.store;
});
afterEach(() => {
  vi.restoreAllMocks();
});

const observation = { resourceType: 'Observation', id: 'obs-1', status: 'final', code: { text: 'Glucose' }, subject: { reference: 'Patient/pat-001' } };
const bundle = { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ resource: observation, search: { mode: 'match' } }] };

async function launch(scope = 'openid patient/Observation.cruds') {
  const session = await newBrowserSession();
  const record = await h.store.launches.createLaunch({
    id: `gaps-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: session.sid, issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser: 'Practitioner/prac-001', scope, needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
  const cookie = session.setCookie.split(';')[0]!;
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, init: { body?: string; headers?: Record<string, string> } = {}) => {
    const url = new URL(`http://localhost:3000/api/l/${record.id}/fhir/${path}`);
    const headers = { cookie, ...(init.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}), ...init.headers };
    const res = await route[method](new Request(url, { method, headers, body: init.body }), { params: Promise.resolve({ launchId: record.id, path: url.pathname.split('/').slice(5) }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: (text ? JSON.parse(text) : null) as Record<string, any> };
  };
  return { record, call };
}

const codeOf = (body: Record<string, any>) => body.issue?.[0]?.details?.coding?.[0]?.code;
const fhirRequests = () => h.as.requests.filter((r) => r.path.startsWith('/fhir/') && !r.path.includes('.well-known'));
const auditEvents = async () => (await h.store.audit.listForPatient({ issuerId: 'test', patientId: 'pat-001' })).map((r) => JSON.parse(r.body) as AuditEvent);

describe('POST _search (review #7)', () => {
  it('is refused 405 method-not-allowed, with or without a form body, and never reaches the EHR', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const form = await call('POST', 'Observation/_search', { body: 'patient=pat-002', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(405);
    expect(codeOf(form.body)).toBe('method-not-allowed');
    const empty = await call('POST', 'Observation/_search');
    expect(empty.status).toBe(405);
    expect(codeOf(empty.body)).toBe('method-not-allowed');
    expect(fhirRequests()).toHaveLength(0);
  });
});

describe('the consent store down (review #30)', () => {
  it('fails closed before the EHR is asked: 502 OperationOutcome, no data', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    vi.spyOn(h.store.consents, 'listForPatient').mockRejectedValue(new Error('connection refused'));
    const res = await call('GET', 'Observation?code=718-7');
    expect(res.status).toBe(502);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(codeOf(res.body)).toBe('consent-unavailable');
    expect(res.text).not.toContain('obs-1');
    expect(fhirRequests()).toHaveLength(0);
  });

  it('refuses a write before anything is sent: 502, the EHR never asked', async () => {
    h.as.onFhir(() => ({ status: 201, body: observation }));
    const { call } = await launch();
    vi.spyOn(h.store.consents, 'listForPatient').mockRejectedValue(new Error('connection refused'));
    const res = await call('PUT', 'Observation/obs-1', { body: JSON.stringify(observation) });
    expect(res.status).toBe(502);
    expect(codeOf(res.body)).toBe('consent-unavailable');
    expect(fhirRequests()).toHaveLength(0);
  });

  it('fails closed when it goes down between the EHR’s answer and the release: the answer is not released', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const real = h.store.consents.listForPatient.bind(h.store.consents);
    vi.spyOn(h.store.consents, 'listForPatient').mockImplementationOnce(real).mockRejectedValue(new Error('connection refused'));
    const res = await call('GET', 'Observation?code=718-7');
    expect(res.status).toBe(502);
    expect(codeOf(res.body)).toBe('consent-unavailable');
    expect(res.text).not.toContain('obs-1');
    expect(fhirRequests()).toHaveLength(1);
  });
});

describe('the audit store down (review #60)', () => {
  it('answers an error and never the data the EHR returned', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    vi.spyOn(h.store.audit, 'append').mockRejectedValue(new Error('disk full'));
    const res = await call('GET', 'Observation?code=718-7');
    expect(res.status).toBe(502);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.text).not.toContain('obs-1');
    expect(res.text).not.toContain('Glucose');
  });
});

describe('a malformed write body (review #63)', () => {
  it.each([
    ['POST', 'Observation', '{"resourceType":"Observation",'],
    ['POST', 'Observation', 'not json at all'],
    ['POST', 'Observation', '["resourceType","Observation"]'],
    ['PUT', 'Observation/obs-1', '{"resourceType":'],
    ['PUT', 'Observation/obs-1', ''],
  ] as const)('%s %s with %j: 400 invalid-body, nothing forwarded', async (method, path, body) => {
    h.as.onFhir(() => ({ body: observation }));
    const { call } = await launch();
    const res = await call(method, path, { body });
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('invalid-body');
    expect(fhirRequests()).toHaveLength(0);
  });
});

describe('parameter injection (review #66)', () => {
  it.each([
    ['an ampersand', 'http://loinc.org|718-7&patient=pat-002'],
    ['a hash', '718-7#patient=pat-002'],
    ['an encoded ampersand', '718-7%26patient=pat-002'],
    ['a newline', '718-7\npatient=pat-002'],
    ['a plus and an equals sign', '718-7+x=y'],
  ])('a value with %s reaches the EHR as that one value, never as extra parameters', async (_name, value) => {
    h.as.onFhir(() => ({ body: { resourceType: 'Bundle', type: 'searchset', entry: [] } }));
    const { call } = await launch();
    const res = await call('GET', `Observation?code=${encodeURIComponent(value)}`);
    expect(res.status).toBe(200);
    const [sent] = fhirRequests();
    expect([...sent!.query.keys()].sort()).toEqual(['code', 'patient']);
    expect(sent!.query.getAll('code')).toEqual([value]);
    expect(sent!.query.getAll('patient')).toEqual(['Patient/pat-001']);
  });

  it.each(['code%3D718-7%26patient', 'code%26patient', 'code%0Apatient', 'code%23x'])('a parameter name %s is refused (invalid-parameter), never split at the EHR', async (name) => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const res = await call('GET', `Observation?${name}=pat-002`);
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('invalid-parameter');
    expect(fhirRequests()).toHaveLength(0);
  });
});

describe('no client switch turns enforcement off (review #70)', () => {
  const switches = {
    'x-housecall-consent': 'off', 'x-housecall-break-glass': 'true', 'x-housecall-purpose-of-use': 'PATRQT', prefer: 'handling=lenient',
    authorization: 'Bearer forged', 'x-forwarded-host': 'ehr.invalid', 'x-forwarded-for': '10.0.0.1',
  };

  it('a restriction on this user still withholds the search whatever headers the client sends', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const now = new Date();
    await h.store.consents.save({ ...restrictActor({ patientId: 'pat-001', id: 'restrict-me', dateTime: now.toISOString(), actor: 'Practitioner/prac-001' }), id: 'restrict-me' }, { issuerId: 'test', patientId: 'pat-001' });
    const res = await call('GET', 'Observation?code=718-7', { headers: switches });
    expect(res.status).toBe(200);
    expect(res.body.entry ?? []).toEqual([]);
    expect(res.text).not.toContain('obs-1');
    expect(fhirRequests()).toHaveLength(0);
  });

  it('the EHR gets only the proxy’s own headers: none of the client’s, and the launch’s token', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const before = h.as.requests.length;
    const res = await call('GET', 'Observation?code=718-7', { headers: switches });
    expect(res.status).toBe(200);
    // As the EHR received it: the proxy's two headers and the HTTP client's own (host, connection).
    const toEhr = h.as.requests.slice(before).filter((r) => r.path.startsWith('/fhir/'));
    expect(toEhr).toHaveLength(1);
    expect(Object.keys(toEhr[0]!.headers).sort()).toEqual(['accept', 'authorization', 'connection', 'host']);
    expect(toEhr[0]!.headers.authorization).toBe('Bearer AT-0');
  });

  it.each(['_format=json', '_pretty=true&_format=xml', '_elements=code', '_contained=true'])('refuses the query switch %s before the EHR is asked (invalid-parameter)', async (query) => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const res = await call('GET', `Observation?${query}`);
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('invalid-parameter');
    expect(fhirRequests()).toHaveLength(0);
  });
});

describe('X-Request-Id (review #58)', () => {
  const idOf = (event: AuditEvent) => event.entity?.find((e) => e.type?.code === 'XrequestId')?.what?.identifier?.value;

  it('each proxied request gets its own id, sent to the browser and carried by its one AuditEvent', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { call } = await launch();
    const first = await call('GET', 'Observation?code=718-7');
    const second = await call('GET', 'Observation?code=718-7');
    const ids = [first.headers.get('x-request-id'), second.headers.get('x-request-id')];
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const events = await auditEvents();
    expect(events.map(idOf).sort()).toEqual([...ids].sort());
  });

  it('a refusal carries its id too, and the client cannot choose it', async () => {
    const { call } = await launch();
    const res = await call('GET', 'Observation?patient=pat-002', { headers: { 'x-request-id': 'Patient-pat-001-chosen' } });
    expect(res.status).toBe(403);
    expect(codeOf(res.body)).toBe('outside-compartment');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await auditEvents()).map(idOf)).toEqual([id]);
  });
});
