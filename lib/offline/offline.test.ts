import { Dexie } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createChannelHub } from './channel';
import { OfflineStoreError } from './errors';
import { createOffline, type WipeScope } from './offline';
import { databaseName, KEY_DATABASE, partitionId, type PartitionOwner } from './partition';
import { clearHousecallWebStorage, type StorageLike } from './web-storage';

const seed = buildSeed();
const patient = seed.patients[0]!.patient;
const owner: PartitionOwner = { issuer: 'https://ehr.example/fhir', fhirUser: 'Practitioner/prac-001', patient: patient.id! };
const otherOwner: PartitionOwner = { ...owner, patient: seed.patients[1]!.patient.id! };

function idb() {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

async function names(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((d) => d.name ?? '').sort();
}

function fakeStorage(entries: Record<string, string>): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(entries));
  return {
    data,
    get length() {
      return data.size;
    },
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
  };
}

function waitFor(check: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() > until ? reject(new Error('timed out waiting')) : setTimeout(tick, 5));
    tick();
  });
}

describe('partitions', () => {
  it('derives stable, distinct, PHI-free names from issuer, user and patient', async () => {
    const a = await partitionId(owner);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await partitionId({ ...owner })).toBe(a);
    expect(await partitionId(otherOwner)).not.toBe(a);
    expect(await partitionId({ ...owner, fhirUser: 'Practitioner/prac-002' })).not.toBe(a);

    const deps = idb();
    const offline = createOffline({ indexedDB: deps });
    const store = await offline.open(owner);
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: patient.id!, value: patient }] });
    const dbs = await names(deps.indexedDB);
    expect(dbs).toEqual([KEY_DATABASE, databaseName(a)].sort());
    expect(dbs.join(' ')).not.toMatch(/pat-|prac-|ehr\.example|Testcase/);
    offline.dispose();
  });

  it('keeps each partition’s data apart and persists it across a reload', async () => {
    const deps = idb();
    const first = createOffline({ indexedDB: deps });
    const mine = await first.open(owner);
    const theirs = await first.open(otherOwner);
    expect(await first.open(owner)).toBe(mine);
    await mine.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'x', value: 'A' }] });
    expect(await theirs.get('Patient', 'x')).toBeUndefined();
    first.dispose();

    const reloaded = createOffline({ indexedDB: deps });
    expect(await reloaded.persistent()).toBe(true);
    const again = await reloaded.open(owner);
    expect(again.persistent).toBe(true);
    expect((await again.get('Patient', 'x'))?.value).toBe('A');
    reloaded.dispose();
  });

  it('reopens a partition it holds a key for by id alone, and nothing else', async () => {
    const deps = idb();
    const first = createOffline({ indexedDB: deps });
    const mine = await first.open(owner);
    await mine.write({ put: [{ cls: 'operational', type: 'housecall:owner', id: 'owner', value: owner }] });
    first.dispose();

    const shell = createOffline({ indexedDB: deps });
    const found = await shell.openExisting(mine.partition);
    expect((await found?.get('housecall:owner', 'owner'))?.value).toEqual(owner);
    expect(await shell.openExisting(await partitionId(otherOwner))).toBeUndefined();
    expect(await shell.openExisting('../not-a-partition')).toBeUndefined();
    // Looking does not create: no key and no database for the partition it did not find.
    expect(await names(deps.indexedDB)).toEqual([KEY_DATABASE, databaseName(mine.partition)].sort());
    shell.dispose();
  });

  it('stores the keys as non-extractable CryptoKey objects, never raw bytes', async () => {
    const deps = idb();
    const offline = createOffline({ indexedDB: deps });
    await offline.open(owner);
    const raw = new Dexie(KEY_DATABASE, deps);
    raw.version(1).stores({ keys: 'partition' });
    const rows = await raw.table('keys').toArray();
    expect(rows).toHaveLength(1);
    for (const key of [rows[0].aes, rows[0].mac]) {
      expect(key).toBeInstanceOf(CryptoKey);
      expect(key.extractable).toBe(false);
    }
    raw.close();
    offline.dispose();
  });

  it('starts clean when the key is gone but the rows survived', async () => {
    const deps = idb();
    const first = createOffline({ indexedDB: deps });
    const store = await first.open(owner);
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'x', value: 'A' }] });
    first.dispose();
    await new Dexie(KEY_DATABASE, deps).delete();
    const second = createOffline({ indexedDB: deps });
    const reopened = await second.open(owner);
    expect(await reopened.list()).toEqual([]);
    expect(reopened.counters().dropped).toBe(0);
    second.dispose();
  });
});

describe('wipe', () => {
  it('deletes keys and databases, clears web storage, and every tab follows', async () => {
    const deps = idb();
    const hub = createChannelHub();
    const local = fakeStorage({ 'housecall.lastPatient': 'x', 'ehr.theme': 'dark' });
    const deleted: string[] = [];
    const caches = { keys: async () => ['housecall-shell-v1', 'ehr-assets'], delete: async (n: string) => (deleted.push(n), true) };
    const wipes: [WipeScope, string][] = [];
    const tabA = createOffline({ indexedDB: deps, channel: hub, webStorage: { caches, storages: [local] } });
    const tabB = createOffline({ indexedDB: deps, channel: hub, onWiped: (scope, origin) => wipes.push([scope, origin]) });
    const a = await tabA.open(owner);
    await a.write({ put: [{ cls: 'drafts', type: 'DocumentReference', id: 'd', value: 'draft' }] });
    const b = await tabB.open(owner);
    const b2 = await tabB.open(otherOwner);
    expect((await b.get('DocumentReference', 'd'))?.value).toBe('draft');

    await tabA.wipe();
    await waitFor(() => wipes.length === 1);
    expect(wipes).toEqual([[{ all: true }, 'remote']]);
    expect(await names(deps.indexedDB)).toEqual([]);
    for (const store of [a, b, b2]) {
      const error = await store.get('DocumentReference', 'd').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OfflineStoreError);
      expect((error as OfflineStoreError).code).toBe('wiped');
    }
    expect([...local.data.keys()]).toEqual(['ehr.theme']);
    expect(deleted).toEqual(['housecall-shell-v1']);

    // A new open after the wipe starts from nothing under a new key.
    const fresh = await tabB.open(owner);
    expect(await fresh.list()).toEqual([]);
    tabA.dispose();
    tabB.dispose();
  });

  it('store.wipe() shreds one partition and leaves the others', async () => {
    const deps = idb();
    const offline = createOffline({ indexedDB: deps });
    const mine = await offline.open(owner);
    const other = await offline.open(otherOwner);
    await other.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'o', value: 1 }] });
    await mine.wipe();
    expect(await names(deps.indexedDB)).toEqual([KEY_DATABASE, databaseName(await partitionId(otherOwner))].sort());
    expect((await other.get('Patient', 'o'))?.value).toBe(1);
    offline.dispose();
  });

  it('a partition wiped in this tab, or in another, is not recreated on disk when something opens it again (issue 5)', async () => {
    const deps = idb();
    const hub = createChannelHub();
    const tabA = createOffline({ indexedDB: deps, channel: hub });
    const wiped: string[] = [];
    const tabB = createOffline({ indexedDB: deps, channel: hub, onWiped: (_s, origin) => wiped.push(origin) });
    const mine = await tabA.open(owner);
    await tabB.open(owner);
    const partition = databaseName(mine.partition);
    expect(await names(deps.indexedDB)).toContain(partition);
    await mine.wipe();
    await waitFor(() => wiped.length === 1);
    for (const tab of [tabA, tabB]) {
      const again = await tab.open(owner);
      await again.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'p', value: 1 }] });
      expect(again.persistent).toBe(false);
      expect(await tab.openExisting(mine.partition)).toBeUndefined();
    }
    expect(await names(deps.indexedDB)).not.toContain(partition);
    // Another patient's partition is unaffected and still persistent.
    expect((await tabA.open(otherOwner)).persistent).toBe(true);
    tabA.dispose();
    tabB.dispose();
  });

  it('clears only Housecall’s web storage entries', async () => {
    const s = fakeStorage({ housecall: '1', 'housecall:x': '2', other: '3' });
    expect(await clearHousecallWebStorage({ storages: [s] })).toEqual({ caches: 0, keys: 2 });
    expect([...s.data.keys()]).toEqual(['other']);
  });
});

describe('memory-only fallback', () => {
  it('works without IndexedDB and says it is not persistent', async () => {
    const offline = createOffline({});
    expect(await offline.persistent()).toBe(false);
    const store = await offline.open(owner);
    expect(store.persistent).toBe(false);
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'x', value: 'A' }] });
    expect((await store.get('Patient', 'x'))?.value).toBe('A');
    expect(await createOffline({}).open(owner).then((s) => s.get('Patient', 'x'))).toBeUndefined();
    await offline.wipe();
    expect(await (await offline.open(owner)).get('Patient', 'x')).toBeUndefined();
  });

  it('falls back when IndexedDB exists but never answers (partitioned iframe storage)', async () => {
    const real = new IDBFactory();
    const hanging = { open: () => ({}) as IDBOpenDBRequest, cmp: real.cmp.bind(real), deleteDatabase: () => ({}) as IDBOpenDBRequest, databases: async () => [] } as unknown as IDBFactory;
    const offline = createOffline({ indexedDB: { indexedDB: hanging, IDBKeyRange }, probeTimeoutMs: 50 });
    // Virtual time: the probe gives up after its own 50 ms (not the 3 s default), however busy the machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let probed: boolean | 'pending' = 'pending';
    try {
      void offline.persistent().then((p) => (probed = p));
      await vi.advanceTimersByTimeAsync(49);
      expect(probed).toBe('pending');
      await vi.advanceTimersByTimeAsync(1);
      expect(probed).toBe(false);
    } finally {
      vi.useRealTimers();
    }
    const store = await offline.open(owner);
    expect(store.persistent).toBe(false);
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'x', value: 'A' }] });
    expect((await store.get('Patient', 'x'))?.value).toBe('A');
  });

  it('opens a memory-only partition without asking for a Web Lock (a frame whose storage is blocked may refuse or never grant one)', async () => {
    const throwing = { open: () => { throw new DOMException('denied', 'SecurityError'); }, cmp: () => 0 } as unknown as IDBFactory;
    const asked: string[] = [];
    const neverGranted = { request: (name: string) => { asked.push(name); return new Promise<never>(() => undefined); } };
    const offline = createOffline({ indexedDB: { indexedDB: throwing, IDBKeyRange }, probeTimeoutMs: 200, locks: neverGranted });
    const store = await offline.open(owner);
    expect(store.persistent).toBe(false);
    await store.write({ put: [{ cls: 'clinical', type: 'Patient', id: 'x', value: 'A' }] });
    expect((await store.get('Patient', 'x'))?.value).toBe('A');
    expect(asked).toEqual([]);
  });

  it('falls back when opening IndexedDB throws', async () => {
    const throwing = { open: () => { throw new DOMException('denied', 'SecurityError'); }, cmp: () => 0 } as unknown as IDBFactory;
    const offline = createOffline({ indexedDB: { indexedDB: throwing, IDBKeyRange }, probeTimeoutMs: 200 });
    expect(await offline.persistent()).toBe(false);
  });
});
