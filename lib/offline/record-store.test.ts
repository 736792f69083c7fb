import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it, vi } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createMemoryBackend, type RowBackend } from './backend';
import { OfflineStoreError } from './errors';
import { generateStoreKeys, rowKeyOf, type StoreKeys } from './record-cipher';
import { createRecordStore, type DroppedRecord } from './record-store';
import { DEFAULT_RETENTION } from './retention';
import { domError, faultyBackend, type FaultPlan } from './testing';
import { createDexieBackend } from './dexie-backend';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const allergy = seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance')!;
const T0 = Date.parse('2025-06-01T10:00:00Z');
const HOUR = 3_600_000;

async function setup(options: { backend?: RowBackend; keys?: StoreKeys; partition?: string; now?: () => number } = {}) {
  const backend = options.backend ?? createMemoryBackend();
  const keys = options.keys ?? (await generateStoreKeys());
  const dropped: DroppedRecord[] = [];
  let clock = T0;
  const store = await createRecordStore({
    partition: options.partition ?? 'p1',
    backend,
    keys,
    now: options.now ?? (() => clock),
    timeoutMs: 200,
    onDropped: (d) => dropped.push(d),
    onWipe: async () => {},
  });
  return { store, backend, keys, dropped, advance: (ms: number) => (clock += ms) };
}

function bytesContain(data: ArrayBuffer, text: string): boolean {
  return Buffer.from(data).includes(Buffer.from(text));
}

describe('encryption', () => {
  it('round-trips a record and keeps no PHI in clear', async () => {
    const { store, backend } = await setup();
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: patient.id, version: '3', value: patient }] });
    const got = await store.get<Patient>('Patient', patient.id);
    expect(got?.value).toEqual(patient);
    expect(got).toMatchObject({ version: '3', expired: false, cls: 'clinical', storedAt: T0 });
    const rows = await backend.list({ type: 'Patient' });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.key).toMatch(/^[0-9a-f]{64}$/);
    expect(row.key).not.toContain(patient.id);
    expect(bytesContain(row.data, 'Testcase')).toBe(false);
    expect(bytesContain(row.data, patient.id)).toBe(false);
  });

  it('uses a fresh IV for every write', async () => {
    const { store, backend } = await setup();
    const ivs = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: patient.id, value: patient }] });
      const [row] = await backend.list({ type: 'Patient' });
      ivs.add(`${Buffer.from(row!.iv).toString('hex')}:${Buffer.from(row!.data).toString('hex')}`);
    }
    const rows = await backend.list({ type: 'Patient' });
    expect(rows[0]!.iv.byteLength).toBe(12);
    expect(ivs.size).toBe(5);
  });

  it('drops, counts and reports a tampered ciphertext', async () => {
    const { store, backend, dropped } = await setup();
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: patient.id, version: '1', value: patient }] });
    const row = (await backend.list({ type: 'Patient' }))[0]!;
    const data = new Uint8Array(row.data.slice(0));
    data[5] = data[5]! ^ 0xff;
    await backend.commit({ put: [{ ...row, data: data.buffer }], remove: [] });
    expect(await store.get('Patient', patient.id)).toBeUndefined();
    expect(store.counters().dropped).toBe(1);
    expect(dropped).toEqual([{ type: 'Patient', id: patient.id, cls: 'clinical', reason: 'damaged' }]);
    expect(await backend.list({ type: 'Patient' })).toHaveLength(0);
  });

  it('refuses a record swapped into another row, a changed version, or another partition', async () => {
    const { store, backend, keys, dropped } = await setup();
    await store.write({
      put: [
        { cls: 'clinical', type: 'Patient', id: patient.id, version: '1', value: patient },
        { cls: 'clinical', type: 'AllergyIntolerance', id: allergy.id!, version: '1', value: allergy },
      ],
    });
    const [a] = await backend.list({ type: 'Patient' });
    const [b] = await backend.list({ type: 'AllergyIntolerance' });
    // The allergy row now carries the patient's ciphertext.
    await backend.commit({ put: [{ ...b!, iv: a!.iv, data: a!.data }], remove: [] });
    expect(await store.get('AllergyIntolerance', allergy.id!)).toBeUndefined();
    // A version edited in clear no longer authenticates.
    await backend.commit({ put: [{ ...a!, version: '2' }], remove: [] });
    expect(await store.list({ type: 'Patient' })).toEqual([]);
    expect(dropped.map((d) => d.type)).toEqual(['AllergyIntolerance', 'Patient']);

    // Same keys and database, another partition id: the row key and AAD differ.
    const other = await createRecordStore({ partition: 'p2', backend, keys, now: () => T0, onWipe: async () => {} });
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: patient.id, version: '1', value: patient }] });
    const fresh = (await backend.list({ type: 'Patient' }))[0]!;
    const otherKey = await rowKeyOf(keys, 'p2', 'Patient', patient.id);
    await backend.commit({ put: [{ ...fresh, key: otherKey }], remove: [] });
    expect(await other.get('Patient', patient.id)).toBeUndefined();
    expect(other.counters().dropped).toBe(1);
  });

  it('cannot read rows sealed under another key', async () => {
    const { backend, store } = await setup();
    await store.write({ put: [{ cls: 'reference', type: 'Medication', id: 'm1', value: { resourceType: 'Medication' } }] });
    const again = await setup({ backend });
    expect(await again.store.list({ type: 'Medication' })).toEqual([]);
    expect(again.store.counters().dropped).toBe(1);
  });
});

describe('retention', () => {
  it('hides expired clinical data, or marks it when asked; reference data lives longer', async () => {
    const { store, advance } = await setup();
    await store.write({
      put: [
        { cls: 'clinical', type: 'AllergyIntolerance', id: 'a1', value: allergy },
        { cls: 'reference', type: 'Medication', id: 'm1', value: { resourceType: 'Medication', id: 'm1' } },
      ],
    });
    advance(71 * HOUR);
    expect(await store.get('AllergyIntolerance', 'a1')).toMatchObject({ expired: false });
    advance(1 * HOUR);
    expect(await store.get('AllergyIntolerance', 'a1')).toBeUndefined();
    expect(await store.get('AllergyIntolerance', 'a1', { expired: 'mark' })).toMatchObject({ expired: true, value: allergy });
    expect(await store.list({ cls: 'clinical' })).toEqual([]);
    expect(await store.get('Medication', 'm1')).toMatchObject({ expired: false });
    advance(DEFAULT_RETENTION.reference);
    expect(await store.get('Medication', 'm1')).toBeUndefined();
  });

  it('does not keep clinical data longer because the device clock stepped back after it was stored', async () => {
    const { store, advance } = await setup();
    // Stored while the clock was five days ahead; then the clock is put right.
    advance(5 * 24 * HOUR);
    await store.write({ put: [{ cls: 'clinical', type: 'AllergyIntolerance', id: 'a1', value: allergy }, { cls: 'drafts', type: 'DocumentReference', id: 'd1', value: { text: 'unsent note' } }] });
    advance(-5 * 24 * HOUR);
    // Its stored time is more than its class's whole window ahead: its age cannot be told, so it is past it.
    expect(await store.get('AllergyIntolerance', 'a1')).toBeUndefined();
    expect(await store.sweep()).toBe(1);
    expect(await store.get('DocumentReference', 'd1')).toMatchObject({ value: { text: 'unsent note' } });
  });

  it('keeps clinical data stored a little ahead of a clock stepped back by less than its window, and lets it go within two windows at most', async () => {
    const { store, advance } = await setup();
    advance(2 * HOUR);
    await store.write({ put: [{ cls: 'clinical', type: 'AllergyIntolerance', id: 'a1', value: allergy }] });
    advance(-2 * HOUR);
    expect(await store.get('AllergyIntolerance', 'a1')).toMatchObject({ expired: false });
    advance(2 * HOUR + 72 * HOUR);
    expect(await store.get('AllergyIntolerance', 'a1')).toBeUndefined();
  });

  it('sweep deletes expired clinical and reference rows, never drafts or operational state', async () => {
    const { store, backend, advance } = await setup();
    await store.write({
      put: [
        { cls: 'clinical', type: 'Observation', id: 'o1', value: {} },
        { cls: 'reference', type: 'Medication', id: 'm1', value: {} },
        { cls: 'drafts', type: 'DocumentReference', id: 'd1', value: { text: 'unsent note' } },
        { cls: 'operational', type: 'housecall:outbox', id: 'e1', value: {} },
      ],
    });
    advance(72 * HOUR);
    expect(await store.sweep()).toBe(1);
    advance(365 * 24 * HOUR);
    expect(await store.sweep()).toBe(1);
    const left = (await backend.list()).map((r) => `${r.cls} ${r.type}`).sort();
    // The marker, the counter manifest and a note per swept type (so sync fetches them again) are operational too.
    expect(left).toEqual(['drafts DocumentReference', 'operational housecall:dropped', 'operational housecall:dropped', 'operational housecall:manifest', 'operational housecall:marker', 'operational housecall:outbox']);
    expect(await store.droppedAt('Medication')).toBeDefined();
    expect(await store.get('DocumentReference', 'd1')).toMatchObject({ value: { text: 'unsent note' } });
  });
});

describe('resilience', () => {
  it('under quota pressure evicts clinical before reference, never drafts or the outbox, then fails typed', async () => {
    const inner = createMemoryBackend({ quotaBytes: 5_000 }) // rows, the marker and the counter manifest;
    const { store, backend, advance } = await setup({ backend: inner });
    const blob = (n: number) => ({ text: 'x'.repeat(n) });
    await store.write({ put: [{ cls: 'drafts', type: 'DocumentReference', id: 'd1', value: blob(400) }] });
    await store.write({ put: [{ cls: 'operational', type: 'housecall:outbox', id: 'e1', value: blob(400) }] });
    await store.write({ put: [{ cls: 'reference', type: 'Medication', id: 'm1', value: blob(600) }] });
    advance(1_000);
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', value: blob(600) }] });
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o2', value: blob(600) }] });
    // Needs ~900 bytes: the oldest clinical rows go, reference stays.
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o3', value: blob(1_100) }] });
    const types = async () => (await inner.list()).map((r) => r.type).filter((t) => t !== 'housecall:manifest').sort();
    // The evicted Observations leave a note, so sync downloads them again when it next runs.
    expect(await types()).toEqual(['DocumentReference', 'Medication', 'Observation', 'housecall:dropped', 'housecall:marker', 'housecall:outbox']);
    expect(await store.get('Observation', 'o3')).toBeDefined();
    expect(store.counters().evicted).toBe(2);
    expect(await store.droppedAt('Observation')).toBeDefined();
    // Too big for everything evictable: typed error, drafts and outbox untouched.
    const failed = await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'huge', value: blob(5_000) }] }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OfflineStoreError);
    expect((failed as OfflineStoreError).code).toBe('quota-exceeded');
    expect(await types()).toEqual(['DocumentReference', 'housecall:dropped', 'housecall:dropped', 'housecall:marker', 'housecall:outbox']);
  });

  it('a disk that refuses every write (IndexedDB put throwing QuotaExceededError) fails typed, and keeps what was stored', async () => {
    const inner = createMemoryBackend();
    let full = false;
    const backend: RowBackend = { ...inner, commit: (change) => (full && change.put.length ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) : inner.commit(change)) };
    const { store } = await setup({ backend });
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', value: { n: 1 } }, { cls: 'operational', type: 'housecall:outbox', id: 'e1', value: {} }] });
    full = true;
    const failed = await store.write({ put: [{ cls: 'operational', type: 'housecall:outbox', id: 'e2', value: {} }] }).catch((e: unknown) => e);
    expect((failed as OfflineStoreError).code).toBe('quota-exceeded');
    full = false;
    expect(await store.get('housecall:outbox', 'e1')).toBeDefined();
    expect(await store.get('housecall:outbox', 'e2')).toBeUndefined();
  });

  it('reopens a connection the browser closed (Dexie on IndexedDB) and retries once', async () => {
    const backend = createDexieBackend('housecall-test-reopen', { indexedDB: new IDBFactory(), IDBKeyRange });
    const { store } = await setup({ backend });
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', value: { ok: true } }] });
    backend.close(); // what WebKit does to a backgrounded tab
    expect((await store.get('Observation', 'o1'))?.value).toEqual({ ok: true });
    backend.close();
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o2', value: 2 }] });
    expect(await store.list({ type: 'Observation' })).toHaveLength(2);
  });

  it('gives up with connection-lost when the reopened connection is lost again', async () => {
    const lost = () => Object.assign(new Error('Database has been closed'), { name: 'DatabaseClosedError' });
    const plan: FaultPlan = {};
    const backend = faultyBackend(createMemoryBackend(), plan);
    const { store } = await setup({ backend });
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'x', value: 42 }] });
    plan.throwNext = { get: [domError('InvalidStateError')] };
    expect((await store.get('Observation', 'x'))?.value).toBe(42);
    expect(backend.calls.reopen).toBe(1);
    plan.throwNext = { get: [lost(), lost()] };
    const error = await store.get('Observation', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineStoreError);
    expect((error as OfflineStoreError).code).toBe('connection-lost');
    expect(backend.calls.reopen).toBe(2);
  });

  it('times out instead of hanging', async () => {
    const base = createMemoryBackend();
    const keys = await generateStoreKeys();
    await createRecordStore({ partition: 'p', backend: base, keys, onWipe: async () => {} });
    const stuck = faultyBackend(base, { hang: ['list'] });
    const store = await createRecordStore({ partition: 'p', backend: stuck, keys, timeoutMs: 30, onWipe: async () => {} });
    // Virtual time: it gives up after its own 30 ms (not the 10 s default), however busy the machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let outcome: unknown = 'pending';
      void store.list().then(() => 'answered', (e: unknown) => e).then((v) => (outcome = v));
      await vi.advanceTimersByTimeAsync(29);
      expect(outcome).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect((outcome as OfflineStoreError).code).toBe('timeout');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('lost-work detection (lib/sync lost-storage.ts asks this before each round)', () => {
  it('notices a store emptied behind its back', async () => {
    const { store, backend } = await setup();
    expect(await store.isIntact()).toBe(true);
    await backend.clear();
    expect(await store.isIntact()).toBe(false);
  });
});
