import type { AllergyIntolerance, DocumentReference, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline } from '@/lib/offline';
import { resolveConflict } from './merge';
import { transition, type OutboxEntry } from './outbox';
import type { TransportResponse } from './ports';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';
import { buildRequest, classify, IDEMPOTENCY_SYSTEM } from './upload';
import { queueMutation, uploadOutbox } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const allergy = seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance & { id: string };
const allergy2 = seed.patients[1]!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance & { id: string };
const DEVICE_T0 = Date.parse('2024-05-05T08:00:00Z'); // the device clock is years off the server's, on purpose
const prac = { reference: 'Practitioner/prac-001' } as const;

async function setup(options: FakeServerOptions = {}) {
  const server = createFakeFhirServer(options);
  server.seed(patient, allergy, allergy2);
  const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: prac.reference, patient: patient.id });
  const store = createSyncStore(records);
  let clock = DEVICE_T0;
  let ids = 0;
  const deps = { transport: server.transport, now: () => clock, random: () => 0.5 };
  const ctx = () => ({ now: clock, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}` });
  const local = <T>(type: string, id: string) => server.current(type, id) as T;
  return { server, store, records, deps, ctx, local, advance: (ms: number) => (clock += ms), now: () => clock };
}

const outcome = (status: number, code: string, headers: Record<string, string> = {}): TransportResponse => ({
  status,
  headers,
  body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', details: { coding: [{ system: 'urn:housecall:outcome', code }] } }] },
});

describe('build and classify', () => {
  const base: OutboxEntry = { id: 'e1', op: 'update', resourceType: 'Patient', resourceId: 'p1', baseVersion: '7', payload: { resourceType: 'Patient', id: 'p1' }, idempotencyKey: 'k1', attempts: 0, nextAttemptAt: 0, state: 'in-flight', createdAt: 0 };

  it('makes creates conditional on the idempotency identifier and updates/deletes conditional on the version', () => {
    const create = buildRequest({ ...base, op: 'create', resourceId: 'local', localId: 'local', payload: { resourceType: 'Patient', id: 'local', meta: { versionId: 'x' } } });
    expect(create).toEqual({
      method: 'POST',
      url: 'Patient',
      headers: { 'content-type': 'application/fhir+json', prefer: 'return=representation', 'if-none-exist': `identifier=${IDEMPOTENCY_SYSTEM}|k1` },
      body: { resourceType: 'Patient', identifier: [{ system: IDEMPOTENCY_SYSTEM, value: 'k1' }] },
    });
    expect(buildRequest(base).headers?.['if-match']).toBe('W/"7"');
    expect(buildRequest({ ...base, op: 'delete', payload: null })).toEqual({ method: 'DELETE', url: 'Patient/p1', headers: { 'if-match': 'W/"7"' } });
    const { baseVersion: _v, ...versionless } = base;
    expect(buildRequest(versionless).headers?.['if-match']).toBeUndefined();
  });

  it.each([
    ['201 with Location', { status: 201, headers: { location: 'https://x/fhir/Patient/p9/_history/3' }, body: undefined }, { kind: 'synced', id: 'p9', version: '3' }],
    ['412', outcome(412, 'version-conflict'), { kind: 'conflict' }],
    ['429 blocks its type', outcome(429, 'rate-limited', { 'retry-after': '30' }), { kind: 'retry', block: 'Patient', retryAfterMs: 30_000, error: { code: 'rate-limited', status: 429 } }],
    ['503 blocks everything', outcome(503, 'upstream-error', { 'retry-after': '5' }), { kind: 'retry', block: '*', retryAfterMs: 5_000, error: { code: 'upstream-error', status: 503 } }],
    ['504 retries', outcome(504, 'upstream-timeout'), { kind: 'retry', error: { code: 'upstream-timeout', status: 504 } }],
    ['401 stops', outcome(401, 'launch-ended'), { kind: 'stop', error: { code: 'launch-ended', status: 401 } }],
    ['403 fails with the code', outcome(403, 'scope-not-granted'), { kind: 'failed', error: { code: 'scope-not-granted', status: 403 } }],
    ['422 without a code', { status: 422, headers: {}, body: undefined }, { kind: 'failed', error: { code: 'http-422', status: 422 } }],
  ] as const)('%s', (_name, response, expected) => {
    expect(classify(base, { ok: true, response: response as TransportResponse }, 0)).toEqual(expected);
  });

  it('treats no response as a retry while offline, and a 410 on delete as done', () => {
    expect(classify(base, { ok: false, error: new TypeError('Failed to fetch') }, 0)).toEqual({ kind: 'retry', error: { code: 'network' }, offline: true });
    expect(classify({ ...base, op: 'delete' }, { ok: true, response: outcome(410, 'not-found') }, 0)).toEqual({ kind: 'gone' });
  });
});

describe('uploadOutbox against a FHIR server', () => {
  it('a create retried after a lost response makes no duplicate', async () => {
    const t = await setup();
    t.server.inject((r) => r.method === 'POST', 'apply-then-drop');
    const entry = await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Home visit', author: prac }, t.ctx());
    const first = await uploadOutbox(t.store, t.deps);
    expect(first).toMatchObject({ offline: true, synced: 0 });
    expect(t.server.all('DocumentReference')).toHaveLength(1); // the server did apply it
    expect((await t.store.loadOutbox())[0]).toMatchObject({ id: entry.id, state: 'pending', attempts: 1 });
    t.advance(60_000);
    const second = await uploadOutbox(t.store, t.deps);
    expect(second.synced).toBe(1);
    const notes = t.server.all('DocumentReference') as DocumentReference[];
    expect(notes).toHaveLength(1);
    expect(notes[0]!.identifier).toContainEqual({ system: IDEMPOTENCY_SYSTEM, value: entry.idempotencyKey });
    expect(await t.store.loadOutbox()).toEqual([]);
    expect(await t.store.readResource('DocumentReference', notes[0]!.id!)).toEqual(notes[0]);
    expect(await t.store.readResource('DocumentReference', entry.localId!)).toBeUndefined();
  });

  it('(control) without If-None-Exist support the same retry would duplicate', async () => {
    const t = await setup({ conditionalCreate: false });
    t.server.inject((r) => r.method === 'POST', 'apply-then-drop');
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Home visit', author: prac }, t.ctx());
    await uploadOutbox(t.store, t.deps);
    t.advance(60_000);
    await uploadOutbox(t.store, t.deps);
    expect(t.server.all('DocumentReference')).toHaveLength(2);
  });

  it('sends a dependent create after the one it references, with the reference rewritten', async () => {
    const t = await setup();
    const draft = await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, t.ctx());
    const local = (await t.store.readResource<DocumentReference>('DocumentReference', draft.localId!))!;
    await queueMutation(t.store, 'signNote', local, { author: prac }, t.ctx());
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Addendum', author: prac, appendsTo: { reference: `DocumentReference/${draft.localId}` } }, t.ctx());
    t.server.inject((r) => r.method === 'POST', 'network');
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ offline: true, sent: 1 });
    t.advance(60_000);
    const report = await uploadOutbox(t.store, t.deps);
    expect(report.synced).toBe(3);
    const writes = t.server.log.filter((r) => r.method !== 'GET').slice(1);
    expect(writes.map((r) => `${r.method} ${r.url} ${r.headers?.['if-match'] ?? ''}`.trim())).toEqual(['POST DocumentReference', 'PUT DocumentReference/srv-1 W/"1"', 'POST DocumentReference']);
    expect((writes[2]!.body as DocumentReference).relatesTo?.[0]?.target.reference).toBe('DocumentReference/srv-1');
    expect((t.server.current('DocumentReference', 'srv-1') as DocumentReference).docStatus).toBe('final');
  });

  it('a partially failing batch settles each entry on its own', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', t.local<Patient>('Patient', patient.id), { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    const comment = await queueMutation(t.store, 'commentOnAllergy', t.local<AllergyIntolerance>('AllergyIntolerance', allergy.id), { text: 'Mild', author: prac }, t.ctx());
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, t.ctx());
    t.server.inject((r) => r.url.startsWith('AllergyIntolerance'), outcome(403, 'scope-not-granted'));
    const report = await uploadOutbox(t.store, t.deps);
    expect(report).toMatchObject({ sent: 3, synced: 2, failed: 1 });
    expect(await t.store.loadOutbox()).toEqual([expect.objectContaining({ id: comment.id, state: 'failed', lastError: { code: 'scope-not-granted', status: 403 } })]);
    expect((t.server.current('Patient', patient.id) as Patient).telecom?.[0]?.value).toBe('555-0199');
  });

  it('a 429 with Retry-After delays only that resource type', async () => {
    const t = await setup();
    await queueMutation(t.store, 'commentOnAllergy', t.local<AllergyIntolerance>('AllergyIntolerance', allergy.id), { text: 'One', author: prac }, t.ctx());
    await queueMutation(t.store, 'commentOnAllergy', t.local<AllergyIntolerance>('AllergyIntolerance', allergy2.id), { text: 'Two', author: prac }, t.ctx());
    await queueMutation(t.store, 'editTelecom', t.local<Patient>('Patient', patient.id), { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    t.server.inject((r) => r.url.startsWith('AllergyIntolerance'), outcome(429, 'rate-limited', { 'retry-after': '120' }));
    const first = await uploadOutbox(t.store, t.deps);
    expect(first).toMatchObject({ synced: 1, retried: 1, blocks: { AllergyIntolerance: t.now() + 120_000 } });
    const putsTo = (type: string) => t.server.log.filter((r) => r.method === 'PUT' && r.url.startsWith(type)).length;
    expect(putsTo('AllergyIntolerance')).toBe(1); // the second allergy was not tried
    expect(putsTo('Patient')).toBe(1);
    t.advance(60_000);
    expect((await uploadOutbox(t.store, { ...t.deps, blocks: first.blocks })).sent).toBe(0);
    t.advance(61_000);
    expect((await uploadOutbox(t.store, { ...t.deps, blocks: first.blocks })).synced).toBe(2);
  });

  it('a 401 launch-ended stops everything and loses nothing', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', t.local<Patient>('Patient', patient.id), { system: 'phone', use: 'mobile', value: '1' }, t.ctx());
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, t.ctx());
    t.server.inject(() => true, outcome(401, 'launch-ended'));
    const report = await uploadOutbox(t.store, t.deps);
    expect(report.stopped).toEqual({ code: 'launch-ended', status: 401 });
    expect(t.server.log).toHaveLength(1);
    expect((await t.store.loadOutbox()).map((e) => e.state)).toEqual(['pending', 'pending']);
  });

  it('a delete whose response was lost is done when the retry finds it gone', async () => {
    const t = await setup();
    const del: OutboxEntry = { id: 'd1', op: 'delete', resourceType: 'AllergyIntolerance', resourceId: allergy.id, baseVersion: '1', payload: null, idempotencyKey: 'k', attempts: 0, nextAttemptAt: t.now(), state: 'pending', createdAt: t.now() };
    await t.store.updateOutbox(() => ({ entries: [del], result: undefined }));
    t.server.inject((r) => r.method === 'DELETE', 'apply-then-drop');
    await uploadOutbox(t.store, t.deps);
    t.advance(60_000);
    expect((await uploadOutbox(t.store, t.deps)).synced).toBe(1);
    expect(await t.store.loadOutbox()).toEqual([]);
  });
});

describe('conflicts (412)', () => {
  it('disjoint demographic edits are merged and sent on the new version', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', t.local<Patient>('Patient', patient.id), { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    const report = await uploadOutbox(t.store, t.deps);
    expect(report).toMatchObject({ merged: 1, synced: 1, conflicts: 0 });
    const puts = t.server.log.filter((r) => r.method === 'PUT').map((r) => r.headers?.['if-match']);
    expect(puts).toEqual(['W/"1"', 'W/"2"']);
    const now = t.server.current('Patient', patient.id) as Patient;
    expect(now.telecom?.[0]?.value).toBe('555-0199');
    expect(now.address?.[0]?.city).toBe('Newtown');
    expect(now.meta?.versionId).toBe('3');
    expect(await t.store.readResource('Patient', patient.id)).toEqual(now);
  });

  it('edits of the same entry go to review; keep mine then sends on the new version, with an audit record', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', t.local<Patient>('Patient', patient.id), { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, telecom: p.telecom!.map((x) => (x.system === 'phone' ? { ...x, value: '555-0777' } : x)) }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ conflicts: 1, synced: 0 });
    const [review] = await t.store.loadOutbox();
    expect(review).toMatchObject({ state: 'needs-review', conflict: { fields: [{ path: 'telecom[phone|mobile]' }] } });
    const { event, audit, cache } = resolveConflict(review!, { decision: 'keep-mine' }, { who: prac.reference, now: t.now() });
    await t.store.updateOutbox(() => ({ entries: [transition(review!, event)], cache: { putLocal: cache ? [cache] : [] }, result: undefined }));
    expect(audit).toMatchObject({ decision: 'keep-mine', who: prac.reference, resource: `Patient/${patient.id}`, baseVersion: '1', theirsVersion: '2' });
    expect((await uploadOutbox(t.store, t.deps)).synced).toBe(1);
    expect((t.server.current('Patient', patient.id) as Patient).telecom?.[0]?.value).toBe('555-0199');
  });

  it('a clinical resource changed on the server always goes to review', async () => {
    const t = await setup();
    await queueMutation(t.store, 'commentOnAllergy', t.local<AllergyIntolerance>('AllergyIntolerance', allergy.id), { text: 'Mild', author: prac }, t.ctx());
    t.server.edit<AllergyIntolerance>('AllergyIntolerance', allergy.id, (a) => ({ ...a, criticality: a.criticality === 'high' ? 'low' : 'high' }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ conflicts: 1, merged: 0 });
    const [review] = await t.store.loadOutbox();
    expect(review?.conflict?.fields.map((f) => f.path).sort()).toEqual(['criticality', 'note']);
    expect(t.server.log.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('an update whose response was lost is recognised on the 412 and not sent for review', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', t.local<Patient>('Patient', patient.id), { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    t.server.inject((r) => r.method === 'PUT', 'apply-then-drop');
    await uploadOutbox(t.store, t.deps);
    t.advance(60_000);
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ synced: 1, conflicts: 0 });
    expect(t.server.current('Patient', patient.id)?.meta?.versionId).toBe('2');
  });

  it('a versionless server gets a read-compare instead of If-Match, and still merges', async () => {
    const t = await setup({ versionless: true });
    const base = t.local<Patient>('Patient', patient.id);
    expect(base.meta?.versionId).toBeUndefined();
    await queueMutation(t.store, 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ merged: 1, synced: 1 });
    const puts = t.server.log.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.headers?.['if-match']).toBeUndefined();
    const now = t.server.current('Patient', patient.id) as Patient;
    expect([now.telecom?.[0]?.value, now.address?.[0]?.city]).toEqual(['555-0199', 'Newtown']);
  });
});
