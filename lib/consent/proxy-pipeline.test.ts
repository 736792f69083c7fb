/**
 * The proxy's act-and-filter steps against an in-memory EHR (issue 11): counts, history, blind
 * writes, conditional creates, body references, labels and a revocation in flight. Each
 * attack asserts its exact code and what reached the EHR.
 */
import type { Bundle, Consent, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { authorizeFhirRequest, parseFhirRequest, ProxyError, type ResourceGrant } from '../fhir';
import { LABELS, restrictActor, restrictLabels } from './build';
import type { ConsentContext } from './enforce';
import { NOW } from './fixtures';
import { RECOUNT_LIMIT, runProxyRequest, WithheldSearch, type EhrAnswer, type EhrCall, type ProxyObservations } from './proxy-pipeline';

const BASE = 'http://ehr.test/fhir';
const all: ResourceGrant[] = [{ context: 'patient', resourceType: '*', permissions: new Set(['c', 'r', 'u', 'd', 's']) }];

const obs = (id: string, patient = 'pat-001', labels: Observation['meta'] = undefined): Observation => ({
  resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '718-7' }] }, subject: { reference: `Patient/${patient}` }, effectiveDateTime: '2026-10-01', ...(labels ? { meta: labels } : {}),
});
const hiv = (id: string) => obs(id, 'pat-001', { versionId: '2', security: [LABELS.hiv] });

/** A small EHR: reads, pinned searches with paging and `_summary=count`, history, writes. It records every call. */
function fakeEhr(resources: Resource[], history: Record<string, Resource[]> = {}) {
  const store = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const calls: { interaction: string; path: string; query: string; body?: string; ifNoneExist?: string | null }[] = [];
  const ok = (body: unknown, status = 200): EhrAnswer => ({ status, body, etag: null, lastModified: null, location: null, retryAfter: null, date: null });
  const ehr: EhrCall = async (req, options = {}) => {
    const path = [req.resourceType, req.id].filter(Boolean).join('/');
    calls.push({ interaction: req.interaction, path, query: req.query.toString(), body: options.body, ifNoneExist: options.ifNoneExist });
    const key = `${req.resourceType}/${req.id}`;
    switch (req.interaction) {
      case 'read': return store.has(key) ? ok(store.get(key)) : ok({ resourceType: 'OperationOutcome', issue: [] }, 404);
      case 'vread': return ok((history[key] ?? []).find((r) => r.meta?.versionId === req.versionId) ?? null, history[key] ? 200 : 404);
      case 'history-instance': return ok({ resourceType: 'Bundle', type: 'history', entry: (history[key] ?? []).map((resource) => ({ resource })) });
      case 'search': {
        const pin = req.query.get('patient');
        const matches = [...store.values()].filter((r) => r.resourceType === req.resourceType && (!pin || (r as Observation).subject?.reference === pin));
        if (req.query.get('_summary') === 'count') return ok({ resourceType: 'Bundle', type: 'searchset', total: matches.length });
        const count = Number(req.query.get('_count') ?? 50);
        const offset = Number(req.query.get('_offset') ?? 0);
        const page = matches.slice(offset, offset + count);
        const rest = new URLSearchParams(req.query);
        rest.set('_offset', String(offset + count));
        const link = offset + count < matches.length ? [{ relation: 'next', url: `${BASE}/${req.resourceType}?${rest}` }] : [];
        return ok({ resourceType: 'Bundle', type: 'searchset', total: matches.length, link, entry: page.map((resource) => ({ fullUrl: `${BASE}/${req.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })) });
      }
      case 'create': return ok({ ...JSON.parse(options.body ?? '{}'), id: 'new-1' }, 201);
      case 'update': {
        const body = JSON.parse(options.body ?? '{}') as Resource;
        store.set(key, body);
        return ok(body);
      }
      case 'delete': store.delete(key); return ok(null, 204);
    }
    return ok(null, 500);
  };
  return { ehr, calls, store };
}

function ctxWith(consents: Consent[], partial: Partial<ConsentContext> = {}): ConsentContext {
  return { patientId: 'pat-001', actor: { reference: 'Practitioner/prac-002', roles: [], memberOf: [] }, purposeOfUse: 'TREAT', consents, now: NOW, policy: { noConsent: 'permit' }, ...partial };
}
const restrictHiv = { ...restrictLabels({ patientId: 'pat-001', labels: [LABELS.hiv], id: 'c-hiv' }), meta: { versionId: '3' } } as Consent;

function seen(): ProxyObservations {
  return { consent: null, decidedBy: [], hidden: 0, alerts: 0 };
}

async function run(method: string, path: string[], query: string, ehr: EhrCall, consents: Consent[] | (() => Consent[]), extra: { body?: unknown; ifNoneExist?: string } = {}, observed = seen()) {
  const request = authorizeFhirRequest(parseFhirRequest(method, path, new URLSearchParams(query)), { patientId: 'pat-001', grants: all });
  const load = typeof consents === 'function' ? consents : () => consents;
  return runProxyRequest({
    request, patientId: 'pat-001', fhirBase: BASE, proxyBase: '/api/l/L1/fhir', body: extra.body === undefined ? undefined : JSON.stringify(extra.body), ifNoneExist: extra.ifNoneExist ?? null,
  }, { ehr, loadConsent: async () => ctxWith(load()) }, observed);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof ProxyError ? e.code : e instanceof WithheldSearch ? 'withheld-search' : `unexpected ${String(e)}`;
  }
}

describe('nothing withheld can be counted', () => {
  const data = [obs('a'), obs('b'), hiv('h1'), hiv('h2'), obs('other', 'pat-002')];
  it('_summary=count under a label restriction counts only what this user may see (recounted by fetching)', async () => {
    const { ehr, calls } = fakeEhr(data);
    const out = await run('GET', ['Observation'], '_summary=count', ehr, [restrictHiv]);
    expect((out.body as Bundle).total).toBe(2);
    expect((out.body as Bundle).meta?.tag).toContainEqual(expect.objectContaining({ system: 'urn:housecall:consent-total', code: 'recounted' }));
    expect(calls.every((c) => !c.query.includes('_summary'))).toBe(true);
  });
  it('_count=0 and _total=accurate give the same count, across pages', async () => {
    const many = [...Array.from({ length: 450 }, (_, i) => obs(`o${i}`)), ...Array.from({ length: 30 }, (_, i) => hiv(`h${i}`))];
    const { ehr } = fakeEhr(many);
    expect(((await run('GET', ['Observation'], '_count=0', ehr, [restrictHiv])).body as Bundle).total).toBe(450);
    const page = (await run('GET', ['Observation'], '_total=accurate&_count=10', ehr, [restrictHiv])).body as Bundle;
    expect(page.total).toBe(450);
    expect(page.entry?.length).toBeLessThanOrEqual(10);
  });
  it('a page of a larger result drops total and says so; a whole result is recounted', async () => {
    const { ehr } = fakeEhr([obs('a'), hiv('h1'), obs('b'), obs('c')]);
    const paged = (await run('GET', ['Observation'], '_count=2', ehr, [restrictHiv])).body as Bundle;
    expect(paged.total).toBeUndefined();
    expect(paged.meta?.tag).toContainEqual(expect.objectContaining({ system: 'urn:housecall:consent-total', code: 'omitted' }));
    const whole = (await run('GET', ['Observation'], '', ehr, [restrictHiv])).body as Bundle;
    expect(whole.total).toBe(3);
  });
  it('a count that would need more than RECOUNT_LIMIT fetches is refused (count-unavailable)', async () => {
    const { ehr } = fakeEhr([...Array.from({ length: RECOUNT_LIMIT + 1 }, (_, i) => obs(`o${i}`)), hiv('h1')]);
    expect(await codeOf(run('GET', ['Observation'], '_summary=count', ehr, [restrictHiv]))).toBe('count-unavailable');
  });
  it('with no restriction needing per-resource judgement, the EHR’s own count passes', async () => {
    const { ehr, calls } = fakeEhr(data);
    expect(((await run('GET', ['Observation'], '_summary=count', ehr, [])).body as Bundle).total).toBe(4);
    expect(calls).toHaveLength(1);
  });
});

describe('history answers as the current version does', () => {
  it('Patient/{other}/_history is not found, exactly like Patient/{other}', async () => {
    const other = { resourceType: 'Patient', id: 'pat-002' } as Resource;
    const { ehr } = fakeEhr([other], { 'Patient/pat-002': [other] });
    expect(await codeOf(run('GET', ['Patient', 'pat-002', '_history'], '', ehr, []))).toBe('not-found');
    expect(await codeOf(run('GET', ['Patient', 'pat-002'], '', ehr, []))).toBe('not-found');
  });
  it('an old version from before a label was added is judged by the current label too', async () => {
    const old = obs('h1', 'pat-001', { versionId: '1' });
    const { ehr } = fakeEhr([hiv('h1')], { 'Observation/h1': [old, hiv('h1')] });
    expect(await codeOf(run('GET', ['Observation', 'h1', '_history', '1'], '', ehr, [restrictHiv]))).toBe('not-found');
    expect(await codeOf(run('GET', ['Observation', 'h1', '_history'], '', ehr, [restrictHiv]))).toBe('not-found');
  });
  it('a version of a visible resource still shows', async () => {
    const { ehr } = fakeEhr([obs('a')], { 'Observation/a': [obs('a', 'pat-001', { versionId: '1' })] });
    expect((await run('GET', ['Observation', 'a', '_history', '1'], '', ehr, [restrictHiv])).status).toBe(200);
  });
});

describe('writes are judged on what they change', () => {
  const body = (id: string, meta?: Observation['meta']) => ({ ...obs(id), ...(meta ? { meta } : {}) });
  it('PUT over a resource hidden from this user answers not found and never writes', async () => {
    const { ehr, calls } = fakeEhr([hiv('h1')]);
    const observed = seen();
    expect(await codeOf(run('PUT', ['Observation', 'h1'], '', ehr, [restrictHiv], { body: body('h1') }, observed))).toBe('not-found');
    expect(calls.map((c) => c.interaction)).toEqual(['read']);
    expect(observed.decidedBy).toEqual([{ id: 'c-hiv', version: '3' }]);
  });
  it('DELETE of a hidden resource answers not found and never deletes', async () => {
    const { ehr, calls } = fakeEhr([hiv('h1')]);
    expect(await codeOf(run('DELETE', ['Observation', 'h1'], '', ehr, [restrictHiv]))).toBe('not-found');
    expect(calls.map((c) => c.interaction)).toEqual(['read']);
  });
  it('a resource this user may read but not change is refused (consent-denied)', async () => {
    // The patient lets this clinician read but not correct their record: a nested deny on action `correct`.
    const readOnly = { ...restrictHiv, id: 'c-ro', provision: { type: 'permit', provision: [{ type: 'deny', actor: [{ role: { text: 'recipient' }, reference: { reference: 'Practitioner/prac-002' } }], action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'correct' }] }] }] } } as Consent;
    const { ehr, calls } = fakeEhr([obs('a')]);
    expect(await codeOf(run('DELETE', ['Observation', 'a'], '', ehr, [readOnly]))).toBe('consent-denied');
    expect(calls.some((c) => c.interaction === 'delete')).toBe(false);
  });
  it('an update keeps the stored labels, and one that changes them is refused (security-label-change)', async () => {
    const { ehr, calls } = fakeEhr([obs('a', 'pat-001', { versionId: '1', security: [LABELS.normal] })]);
    await run('PUT', ['Observation', 'a'], '', ehr, [], { body: body('a', { versionId: '1' }) });
    expect(JSON.parse(calls.at(-1)!.body!).meta.security).toEqual([LABELS.normal]);
    expect(await codeOf(run('PUT', ['Observation', 'a'], '', ehr, [], { body: body('a', { security: [LABELS.normal, LABELS.restricted] }) }))).toBe('security-label-change');
    expect(await codeOf(run('POST', ['Observation'], '', ehr, [], { body: { ...obs('x'), id: undefined, meta: { security: [LABELS.restricted] } } }))).toBe('security-label-change');
  });
  it('a note appending to another patient’s document is refused (outside-compartment) and never sent', async () => {
    const theirs = { resourceType: 'DocumentReference', id: 'd9', status: 'current', subject: { reference: 'Patient/pat-002' }, content: [] } as Resource;
    const mine = { resourceType: 'DocumentReference', id: 'd1', status: 'current', subject: { reference: 'Patient/pat-001' }, content: [] } as Resource;
    const { ehr, calls } = fakeEhr([theirs, mine]);
    const note = (target: string) => ({ resourceType: 'DocumentReference', status: 'current', subject: { reference: 'Patient/pat-001' }, content: [], relatesTo: [{ code: 'appends', target: { reference: target } }] });
    expect(await codeOf(run('POST', ['DocumentReference'], '', ehr, [], { body: note('DocumentReference/d9') }))).toBe('outside-compartment');
    expect(calls.some((c) => c.interaction === 'create')).toBe(false);
    expect((await run('POST', ['DocumentReference'], '', ehr, [], { body: note('DocumentReference/d1') })).status).toBe(201);
  });
});

describe('a conditional create asks only about the launch patient', () => {
  const note = { resourceType: 'DocumentReference', status: 'current', subject: { reference: 'Patient/pat-001' }, content: [] };
  it('forwards the idempotency identifier pinned to the patient', async () => {
    const { ehr, calls } = fakeEhr([]);
    await run('POST', ['DocumentReference'], '', ehr, [], { body: note, ifNoneExist: 'identifier=urn:housecall:idempotency|k-1' });
    expect(new URLSearchParams(calls.at(-1)!.ifNoneExist!).getAll('patient')).toEqual(['Patient/pat-001']);
    expect(new URLSearchParams(calls.at(-1)!.ifNoneExist!).get('identifier')).toBe('urn:housecall:idempotency|k-1');
  });
  it('refuses criteria about another patient before the EHR is asked (invalid-parameter)', async () => {
    const { ehr, calls } = fakeEhr([]);
    expect(await codeOf(run('POST', ['DocumentReference'], '', ehr, [], { body: note, ifNoneExist: 'patient=Patient/pat-002&type=1' }))).toBe('invalid-parameter');
    expect(calls).toEqual([]);
  });
});

describe('a revocation in flight is honoured at release', () => {
  it('consent that changes between the EHR’s answer and the response: the answer is judged on the new one', async () => {
    const { ehr } = fakeEhr([obs('a'), obs('b')]);
    const shutOut = { ...restrictActor({ patientId: 'pat-001', actor: 'Practitioner/prac-002', id: 'c-out' }), meta: { versionId: '1' } } as Consent;
    let loads = 0;
    // First load (before the EHR is asked): nothing restricts. Second (at release): the patient shut this user out.
    const consents = () => (loads++ === 0 ? [] : [shutOut]);
    expect(await codeOf(run('GET', ['Observation'], '', ehr, consents))).toBe('withheld-search');
    loads = 0;
    expect(await codeOf(run('GET', ['Observation', 'a'], '', ehr, consents))).toBe('not-found');
  });
  it('a label restriction added in flight removes the labelled entries from the answer', async () => {
    const { ehr } = fakeEhr([obs('a'), hiv('h1')]);
    let loads = 0;
    const out = await run('GET', ['Observation'], '', ehr, () => (loads++ === 0 ? [] : [restrictHiv]));
    expect((out.body as Bundle).entry?.map((e) => e.resource?.id)).toEqual(['a']);
    expect((out.body as Bundle).total).toBe(1);
  });
  it('a restriction lifted in flight: the count the first judgement would have recounted is the EHR’s own', async () => {
    const { ehr } = fakeEhr([obs('a'), hiv('h1')]);
    let loads = 0;
    const out = await run('GET', ['Observation'], '_summary=count', ehr, () => (loads++ === 0 ? [restrictHiv] : []));
    expect((out.body as Bundle).total).toBe(2);
  });
  it('without a change, the consents are not re-judged differently', async () => {
    const { ehr } = fakeEhr([obs('a'), hiv('h1')]);
    const out = await run('GET', ['Observation'], '', ehr, [restrictHiv]);
    expect((out.body as Bundle).entry?.map((e) => e.resource?.id)).toEqual(['a']);
  });
});

describe('the consents that decided are recorded', () => {
  it('names the restriction (id and version) that withheld entries of a search', async () => {
    const { ehr } = fakeEhr([obs('a'), hiv('h1')]);
    const observed = seen();
    await run('GET', ['Observation'], '', ehr, [restrictHiv], {}, observed);
    expect(observed.decidedBy).toEqual([{ id: 'c-hiv', version: '3' }]);
    expect(observed.hidden).toBe(1);
  });
  it('names nothing when no consent applied', async () => {
    const { ehr } = fakeEhr([obs('a')]);
    const observed = seen();
    await run('GET', ['Observation'], '', ehr, [], {}, observed);
    expect(observed.decidedBy).toEqual([]);
  });
});
