/**
 * Issue 12, "Nothing stuck": regressions for the sync review of 76b23ec (defects 1, 3, 4;
 * probes c1 and e2, e5).
 */
import type { AllergyIntolerance, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline, OfflineStoreError } from '@/lib/offline';
import { createCoordinator, type Timers } from './coordinator';
import { readmitHeld } from './held-changes';
import { summarize, type OutboxEntry } from './outbox';
import type { TransportResponse } from './ports';
import { createSyncRound } from './run-sync';
import { INITIAL_SYNC_STATE } from './sync-state';
import { describe as sentence } from './sync-words';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';
import { reapplyOnTheirs } from './reapply';
import { selectReady } from './schedule';
import { classify } from './upload';
import { queueMutation, uploadOutbox } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const allergy = seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance & { id: string };
const prac = { reference: 'Practitioner/prac-001' } as const;
const DEVICE_T0 = Date.parse('2024-05-05T08:00:00Z');

async function setup(options: FakeServerOptions = {}) {
  const server = createFakeFhirServer(options);
  server.seed(patient, allergy);
  const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: prac.reference, patient: patient.id });
  const store = createSyncStore(records);
  let clock = DEVICE_T0;
  const deps = { transport: server.transport, now: () => clock, random: () => 0.5 };
  return { server, store, records, deps, setClock: (ms: number) => (clock = ms), now: () => clock };
}

const conflict409: TransportResponse = {
  status: 409,
  headers: {},
  body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict', details: { coding: [{ system: 'urn:housecall:outcome', code: 'version-conflict' }] } }] },
};

describe('a 409 from the EHR is a version conflict, like 412 (defect 4)', () => {
  it('classifies a 409 on an update or delete as a conflict, and on a create as a failure', () => {
    const entry = { op: 'update', resourceType: 'Patient', resourceId: 'p1' } as const;
    expect(classify(entry, { ok: true, response: conflict409 }, 0)).toEqual({ kind: 'conflict' });
    expect(classify({ ...entry, op: 'delete' }, { ok: true, response: conflict409 }, 0)).toEqual({ kind: 'conflict' });
    expect(classify({ ...entry, op: 'create' }, { ok: true, response: conflict409 }, 0)).toEqual({ kind: 'failed', error: { code: 'version-conflict', status: 409 } });
  });

  it('merges disjoint demographic edits when the server answers a stale If-Match with 409', async () => {
    const t = await setup({ conflictStatus: 409 });
    await queueMutation(t.store, 'editTelecom', t.server.current('Patient', patient.id) as Patient, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: t.now(), newId: () => crypto.randomUUID() });
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ merged: 1, synced: 1, failed: 0 });
    const now = t.server.current('Patient', patient.id) as Patient;
    expect([now.telecom?.find((x) => x.use === 'mobile')?.value ?? now.telecom?.[0]?.value, now.address?.[0]?.city]).toEqual(['555-0199', 'Newtown']);
    expect(await t.store.loadOutbox()).toEqual([]);
  });

  it('sends a clinical change the server moved on from to review, never to failed', async () => {
    const t = await setup({ conflictStatus: 409 });
    await queueMutation(t.store, 'commentOnAllergy', t.server.current('AllergyIntolerance', allergy.id) as AllergyIntolerance, { text: 'Mild', author: prac }, { now: t.now(), newId: () => crypto.randomUUID() });
    t.server.edit<AllergyIntolerance>('AllergyIntolerance', allergy.id, (a) => ({ ...a, criticality: a.criticality === 'high' ? 'low' : 'high' }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ conflicts: 1, failed: 0 });
    const [entry] = await t.store.loadOutbox();
    expect(entry).toMatchObject({ state: 'needs-review', conflict: { theirs: { resourceType: 'AllergyIntolerance' } } });
    expect(sentence(INITIAL_SYNC_STATE, summarize(await t.store.loadOutbox()))).toBe('1 change needs your review');
  });
});

describe('the outbox orders a record\'s changes by a persisted sequence, not the device clock (defect 1, probe c1)', () => {
  async function twoEdits(first: { now: number; id: string }, second: { now: number; id: string }) {
    const t = await setup();
    const round = createSyncRound({ store: t.store, transport: t.server.transport, now: t.now, random: () => 0.5, targets: [] });
    const server = t.server.current('Patient', patient.id) as Patient;
    const one = await queueMutation(t.store, 'editTelecom', server, { system: 'phone', use: 'mobile', value: '555-0101' }, { now: first.now, newId: () => first.id + crypto.randomUUID().slice(8) });
    const local = (await t.store.readResource<Patient>('Patient', patient.id))!;
    const two = await queueMutation(t.store, 'editTelecom', local, { system: 'email', use: 'home', value: 'new@example.org' }, { now: second.now, newId: () => second.id + crypto.randomUUID().slice(8) });
    expect(two.dependsOn).toEqual([one.id]);
    t.setClock(second.now);
    const result = await round();
    return { t, result, one, two };
  }

  it('sends both edits when the clock stepped back an hour between them, and the round says so truthfully', async () => {
    const { t, result } = await twoEdits({ now: DEVICE_T0, id: 'aaaaaaaa' }, { now: DEVICE_T0 - 3_600_000, id: 'bbbbbbbb' });
    expect(result).toMatchObject({ outcome: 'ok', upload: { synced: 2 } });
    expect(await t.store.loadOutbox()).toEqual([]);
    const now = t.server.current('Patient', patient.id) as Patient;
    expect(now.telecom).toEqual(expect.arrayContaining([expect.objectContaining({ value: '555-0101' }), expect.objectContaining({ value: 'new@example.org' })]));
    expect(sentence({ kind: 'idle', lastSyncedAt: result.at }, summarize(await t.store.loadOutbox()))).toBe('All changes saved');
  });

  it('sends both edits made in one millisecond whatever their random ids', async () => {
    const { t, result } = await twoEdits({ now: DEVICE_T0, id: 'ffffffff' }, { now: DEVICE_T0, id: '00000000' });
    expect(result).toMatchObject({ outcome: 'ok', upload: { synced: 2 } });
    expect(await t.store.loadOutbox()).toEqual([]);
  });

  it('stamps a counter that keeps growing after the outbox empties', async () => {
    const t = await setup();
    const ctx = { now: DEVICE_T0, newId: () => crypto.randomUUID() };
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'One', author: prac }, ctx);
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Two', author: prac }, ctx);
    expect((await t.store.loadOutbox()).map((e) => e.seq).sort()).toEqual([0, 1]);
    await uploadOutbox(t.store, t.deps);
    expect(await t.store.loadOutbox()).toEqual([]);
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Three', author: prac }, ctx);
    expect((await t.store.loadOutbox()).map((e) => e.seq)).toEqual([2]);
  });

  it('gives held entries readmitted from another device new numbers in their own order, after what is here', async () => {
    const t = await setup();
    const ctx = { now: DEVICE_T0, newId: () => crypto.randomUUID() };
    const mine = await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Here', author: prac }, ctx);
    const base = t.server.current('Patient', patient.id) as Patient;
    // Another device stamped them 7 and 8; its clock put the second an hour before the first.
    const held: OutboxEntry[] = [
      { id: 'h2', mutation: 'editTelecom', op: 'update', resourceType: 'Patient', resourceId: patient.id, baseVersion: '1', baseCopy: base, payload: base, idempotencyKey: 'k2', attempts: 0, nextAttemptAt: 0, state: 'pending', dependsOn: ['h1'], seq: 8, createdAt: DEVICE_T0 - 3_600_000 },
      { id: 'h1', mutation: 'editTelecom', op: 'update', resourceType: 'Patient', resourceId: patient.id, baseVersion: '1', baseCopy: base, payload: base, idempotencyKey: 'k1', attempts: 0, nextAttemptAt: 0, state: 'pending', seq: 7, createdAt: DEVICE_T0 },
    ];
    await t.store.updateOutbox((outbox) => {
      const { entries, cache } = readmitHeld(outbox, held, DEVICE_T0);
      return { entries, cache, result: undefined };
    });
    const bySeq = Object.fromEntries((await t.store.loadOutbox()).map((e) => [e.id, e.seq]));
    expect(bySeq).toEqual({ [mine.id]: 0, h1: 1, h2: 2 });
  });
});

describe('a resource\'s head never waits on an entry behind it', () => {
  it('puts an entry after the one it depends on even when two tabs stamped the same number', () => {
    const base = { op: 'update', resourceType: 'Patient', resourceId: 'p', payload: null, idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, state: 'pending', createdAt: 5 } as const;
    const first: OutboxEntry = { ...base, id: 'zz', seq: 3 };
    const second: OutboxEntry = { ...base, id: 'aa', seq: 3, dependsOn: ['zz'] };
    expect(selectReady([second, first], 0).map((e) => e.id)).toEqual(['zz']);
    expect(selectReady([{ ...first, state: 'synced' }, second], 0).map((e) => e.id)).toEqual(['aa']);
  });
});

describe('a sync round that throws (defect 3, probe e5)', () => {
  function fakeTimers() {
    const set: { fn: () => void; ms: number }[] = [];
    const timers: Timers = { set: (fn, ms) => set.push({ fn, ms }), clear: () => undefined };
    return { timers, set };
  }

  it.each([
    ['the storage timed out', new OfflineStoreError('timeout'), 'storage', 'This device’s storage did not answer — 2 changes not yet saved, trying again at 08:00:30'],
    // A full disk answers at once: it is no room, not storage that did not answer.
    ['the storage is full', new OfflineStoreError('quota-exceeded'), 'storage-full', 'This device has no room left for Housecall’s offline copy — 2 changes not yet saved, trying again at 08:00:30'],
    ['a bug', new TypeError('x is undefined'), 'error', 'Sync stopped on an error — 2 changes not yet saved, trying again at 08:00:30'],
  ] as const)('leaves "Syncing…" and says so when %s, re-arms its timer, and succeeds on the next tick', async (_name, thrown, reason, words) => {
    const now = DEVICE_T0;
    const { timers, set } = fakeTimers();
    let fail = true;
    const coordinator = createCoordinator({
      name: 'p', now: () => now, timers,
      runRound: async () => {
        if (fail) throw thrown;
        return { outcome: 'ok', at: now, recovered: 0, downloads: [] };
      },
    });
    const result = await coordinator.trigger('launch');
    expect(result).toMatchObject({ outcome: 'error', failure: { code: thrown instanceof OfflineStoreError ? thrown.code : 'unexpected' } });
    expect(coordinator.state()).toEqual({ kind: 'waiting', reason, retryAt: now + 30_000 });
    const format = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    expect(sentence(coordinator.state(), { waiting: 2, needsReview: 0, failed: 0 }, { formatTime: format })).toBe(words);
    expect(set.at(-1)?.ms).toBe(30_000);
    fail = false;
    set.at(-1)!.fn();
    await new Promise((r) => setTimeout(r, 5));
    expect(coordinator.state()).toEqual({ kind: 'idle', lastSyncedAt: now });
    coordinator.dispose();
  });

  it('reports a throw inside the cross-tab lock the same way, and tells the other tabs', async () => {
    const posted: unknown[] = [];
    const coordinator = createCoordinator({
      name: 'p', now: () => DEVICE_T0,
      locks: { request: async (_n, _o, callback) => callback({}) },
      channel: { postMessage: (m: unknown) => posted.push(m), addEventListener: () => undefined, removeEventListener: () => undefined, close: () => undefined },
      runRound: () => Promise.reject(new OfflineStoreError('connection-lost')),
    });
    await expect(coordinator.trigger('focus')).resolves.toMatchObject({ outcome: 'error' });
    expect(coordinator.state().kind).toBe('waiting');
    expect(posted.at(-1)).toEqual({ type: 'sync-finished', event: { type: 'retry-later', at: DEVICE_T0, retryAt: DEVICE_T0 + 30_000, reason: 'storage' } });
  });
});

describe('exactly once: re-applying a comment the EHR already holds', () => {
  it('does not add it twice when our send was applied, its answer lost, and the EHR then edited the record', () => {
    const note = { authorReference: prac, time: '2026-03-01T09:00:00Z', text: 'Mild' };
    const base = { ...allergy, note: [] };
    const theirs = { ...allergy, criticality: 'high' as const, note: [note], meta: { versionId: '4' } };
    expect(reapplyOnTheirs({ mutation: 'commentOnAllergy', baseCopy: base, payload: { ...base, note: [note] } }, theirs)).toBeUndefined();
    const other = { ...note, text: 'Another' };
    expect(reapplyOnTheirs({ mutation: 'commentOnAllergy', baseCopy: base, payload: { ...base, note: [note, other] } }, theirs)).toEqual({ ...theirs, note: [note, other] });
  });
});
