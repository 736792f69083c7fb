/** Issue 5: every ending decided for the person erases the device's copy; a lapsed launch's unsent work is kept at the server and sent by the next launch. */
import type { Patient } from '@medplum/fhirtypes';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline, databaseName, type PartitionOwner } from '@/lib/offline';
import type { ConsentDirective, ConsentFetch } from './consent-sync';
import { eventForRound } from './coordinator';
import { createHeldChanges, heldEntrySchema, readmitHeld, type GiveResult, type HeldChanges } from './held-changes';
import type { OutboxEntry } from './outbox';
import { createSyncRound } from './run-sync';
import { next, INITIAL_SYNC_STATE } from './sync-state';
import { describe as describeState } from './sync-words';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: `Patient/${patient.id}`, patient: patient.id };
const NOW = Date.parse('2024-05-05T08:00:00Z');
const allowed: ConsentDirective = { version: 'a', deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] }, wipe: false };
const PATIENT = { key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id };

/** The server's held changes in memory, answering as the route does (`refused` stands for hold-refused). */
function fakeHeld(answer: GiveResult = 'kept') {
  const kept = new Map<string, OutboxEntry>();
  const calls: string[] = [];
  const held: HeldChanges = {
    async give(entries) {
      calls.push(`give:${entries.length}`);
      if (answer === 'kept') for (const e of entries) kept.set(e.id, JSON.parse(JSON.stringify(e)) as OutboxEntry);
      return answer;
    },
    async take() {
      calls.push('take');
      return [...kept.values()];
    },
    async release(ids) {
      calls.push(`release:${ids.length}`);
      for (const id of ids) kept.delete(id);
      return true;
    },
  };
  return { held, kept, calls };
}

async function device() {
  const factory = new IDBFactory();
  const offline = createOffline({ indexedDB: { indexedDB: factory, IDBKeyRange } });
  const records = await offline.open(owner);
  const names = async () => (await factory.databases()).map((d) => d.name ?? '');
  return { offline, records, store: createSyncStore(records), names, db: databaseName(records.partition) };
}

describe('a launch that ends mid-round', () => {
  it('asks the directive again and, withdrawn, hands the unsent change over and erases the partition', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const d = await device();
    const base = (await server.transport({ method: 'GET', url: `Patient/${patient.id}` })).body as Patient;
    await d.store.updateOutbox(() => ({ entries: [], cache: { put: [base] }, result: undefined }));
    await queueMutation(d.store, 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0142' }, { now: NOW, newId: () => crypto.randomUUID() });
    // The upload meets a 401 (the proxy's refresh was refused); only then does the server call the launch withdrawn.
    server.inject((r) => r.method === 'PUT', { status: 401, headers: {}, body: { resourceType: 'OperationOutcome', issue: [] } });
    const answers: ConsentFetch[] = [allowed, 'withdrawn'];
    const h = fakeHeld();
    const round = createSyncRound({ store: d.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [PATIENT], held: h.held, consent: { fetch: async () => answers.shift() ?? 'withdrawn', records: d.records } });
    const result = await round();
    expect(result).toMatchObject({ outcome: 'stopped', stopped: { code: 'launch-withdrawn' }, wipe: { reason: 'launch-withdrawn', kept: 1, discarded: 0 } });
    expect(result.upload?.sent).toBe(1);
    expect(h.calls).toEqual(['take', 'give:1']);
    expect(await d.names()).not.toContain(d.db);
    expect([...h.kept.values()].map((e) => e.payload?.resourceType)).toEqual(['Patient']);
    const state = next(INITIAL_SYNC_STATE, eventForRound(result));
    expect(describeState(state, { waiting: 0, needsReview: 0, failed: 0 })).toBe('Your session ended, so Housecall erased its copy on this device — your unsent change is kept and will be sent when you open Housecall again');
  });

  it('a hand-over the server refuses (support ended it) discards the change, as before, and says so', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const d = await device();
    await queueMutation(d.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: { reference: 'Practitioner/prac-001' } }, { now: NOW, newId: () => crypto.randomUUID() });
    const h = fakeHeld('refused');
    const result = await createSyncRound({ store: d.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], held: h.held, consent: { fetch: async () => 'withdrawn', records: d.records } })();
    expect(result.wipe).toEqual({ reason: 'launch-withdrawn', kept: 0, discarded: 1 });
    expect(await d.names()).not.toContain(d.db);
  });

  it('a 401 the directive does not call withdrawn keeps the device’s copy (the person signed out elsewhere: the signed-out page erases)', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const d = await device();
    await queueMutation(d.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: { reference: 'Practitioner/prac-001' } }, { now: NOW, newId: () => crypto.randomUUID() });
    server.inject((r) => r.method === 'POST', { status: 401, headers: {}, body: { resourceType: 'OperationOutcome', issue: [] } });
    const answers: ConsentFetch[] = [allowed, 'stopped'];
    const h = fakeHeld();
    const result = await createSyncRound({ store: d.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], held: h.held, consent: { fetch: async () => answers.shift()!, records: d.records } })();
    expect(result).toMatchObject({ outcome: 'stopped', stopped: { status: 401 } });
    expect(result.wipe).toBeUndefined();
    expect(h.calls).toEqual(['take']);
    expect(await d.names()).toContain(d.db);
  });
});

/** A first device whose launch lapses with one unsent telecom change, handed to the (fake) server. */
async function lapsedWith(change: { system: 'phone' | 'email'; use: 'home' | 'mobile'; value: string }) {
  const server = createFakeFhirServer();
  server.seed(patient);
  const h = fakeHeld();
  const first = await device();
  const base = (await server.transport({ method: 'GET', url: `Patient/${patient.id}` })).body as Patient;
  await first.store.updateOutbox(() => ({ entries: [], cache: { put: [base] }, result: undefined }));
  await queueMutation(first.store, 'editTelecom', base, change, { now: NOW, newId: () => crypto.randomUUID() });
  await createSyncRound({ store: first.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], held: h.held, consent: { fetch: async () => 'withdrawn', records: first.records } })();
  expect(h.kept.size).toBe(1);
  return { server, h };
}

describe('the next launch of the same user and patient', () => {
  it('takes the held change back once, sends it exactly once, and releases it', async () => {
    const { server, h } = await lapsedWith({ system: 'email', use: 'home', value: 'kept@example.org' });

    // The relaunch opens a fresh partition (the old key is gone) and its first round takes the change back.
    const again = await device();
    const round = createSyncRound({ store: again.store, transport: server.transport, now: () => NOW + 60_000, random: () => 0.5, targets: [], held: h.held, consent: { fetch: async () => allowed, records: again.records } });
    const result = await round();
    expect(result).toMatchObject({ outcome: 'ok', readmitted: 1, upload: { synced: 1 } });
    expect(h.kept.size).toBe(0);
    expect((server.current('Patient', patient.id) as Patient).telecom?.find((t) => t.system === 'email')?.value).toBe('kept@example.org');
    expect(server.log.filter((r) => r.method === 'PUT')).toHaveLength(1);
    await round();
    expect(h.calls.filter((c) => c === 'take')).toHaveLength(1); // the withdrawn round wiped before taking; this engine takes once
    expect(server.log.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });
});

describe('a memory-only store (inside an EHR frame)', () => {
  it('keeps the server’s copy until the taken-back change is sent, so a frame closed first loses nothing', async () => {
    const { server, h } = await lapsedWith({ system: 'phone', use: 'home', value: '555-0177' });

    const framed = await createOffline({}).open(owner); // no IndexedDB: memory-only
    expect(framed.persistent).toBe(false);
    const store = createSyncStore(framed);
    let online = false;
    const transport: typeof server.transport = async (r) => {
      if (!online) throw new TypeError('offline');
      return server.transport(r);
    };
    const clock = { now: NOW + 60_000 };
    const round = createSyncRound({ store, transport, now: () => clock.now, random: () => 0.5, targets: [], held: h.held, durable: false, consent: { fetch: async () => allowed, records: framed } });
    expect(await round()).toMatchObject({ outcome: 'offline', readmitted: 1 });
    expect(h.kept.size).toBe(1); // a frame closed now would find it again at the next launch
    online = true;
    clock.now += 10 * 60_000;
    expect(await round()).toMatchObject({ outcome: 'ok', upload: { synced: 1 } });
    expect(h.kept.size).toBe(0);
    expect(h.calls.filter((c) => c.startsWith('release'))).toEqual(['release:1']);
  });
});

describe('readmitHeld', () => {
  const entry = (id: string, state: OutboxEntry['state'], resourceId = 'pat-1'): OutboxEntry => ({
    id, op: 'update', resourceType: 'Patient', resourceId, payload: { resourceType: 'Patient', id: resourceId, gender: state === 'failed' ? 'other' : 'female' },
    idempotencyKey: `k-${id}`, attempts: 2, nextAttemptAt: NOW + 600_000, state, createdAt: NOW,
  });
  it('adds what the outbox lacks, in order, puts an interrupted send back to pending, due now, with the latest local copy', () => {
    const out = readmitHeld([entry('a', 'pending')], [entry('a', 'pending'), entry('b', 'in-flight'), entry('c', 'failed')], NOW);
    expect(out.entries.map((e) => [e.id, e.state, e.nextAttemptAt])).toEqual([['b', 'pending', NOW], ['c', 'failed', NOW]]);
    expect(out.cache.putLocal).toEqual([{ resourceType: 'Patient', id: 'pat-1', gender: 'other' }]);
  });

  it('what travels is validated on both sides: a synced entry or one without an idempotency key is refused', () => {
    expect(heldEntrySchema.safeParse(entry('a', 'pending')).success).toBe(true);
    expect(heldEntrySchema.safeParse({ ...entry('a', 'pending'), state: 'synced' }).success).toBe(false);
    expect(heldEntrySchema.safeParse({ ...entry('a', 'pending'), idempotencyKey: '' }).success).toBe(false);
    expect(heldEntrySchema.safeParse({ ...entry('a', 'pending'), resourceType: '../x' }).success).toBe(false);
  });
});

describe('createHeldChanges over fetch', () => {
  it('reads the route’s answers: 200 kept, 403 refused, anything else or no answer failed; a bad list is no list', async () => {
    const reply = (status: number, body: unknown = {}) => async () => ({ status, json: async () => body });
    const one = [{ ...{ id: 'a', op: 'create', resourceType: 'DocumentReference', resourceId: 'l1', payload: { resourceType: 'DocumentReference' }, idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, state: 'pending', createdAt: 0 } }] as OutboxEntry[];
    expect(await createHeldChanges(reply(200), '/h').give(one)).toBe('kept');
    expect(await createHeldChanges(reply(403), '/h').give(one)).toBe('refused');
    expect(await createHeldChanges(reply(502), '/h').give(one)).toBe('failed');
    expect(await createHeldChanges(async () => { throw new TypeError('offline'); }, '/h').give(one)).toBe('failed');
    expect(await createHeldChanges(reply(200, { entries: one }), '/h').take()).toEqual(one);
    expect(await createHeldChanges(reply(200, { entries: [{ id: 'x' }] }), '/h').take()).toBeUndefined();
    expect(await createHeldChanges(reply(401), '/h').take()).toBeUndefined();
  });
});
