/** Issue 12, "Nothing lost": the encrypted store's side (review defects 2 and 3, probes d3, d5, e1). */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from './backend';
import { isConnectionLost, OfflineStoreError } from './errors';
import { generateStoreKeys } from './record-cipher';
import { createRecordStore } from './record-store';
import { createOffline, type KeyLocks } from './offline';
import type { PartitionOwner } from './partition';
import { faultyBackend, type FaultPlan } from './testing';

/** What WebKit throws when its IndexedDB server process went away (a DOMException named UnknownError). */
const webkitLost = (message = 'Connection to Indexed Database server lost. Refresh the page to try again') => new DOMException(message, 'UnknownError');

describe('WebKit\'s lost IndexedDB connection (probe e1)', () => {
  it('is recognised, bare or wrapped by Dexie, while other UnknownErrors are not', () => {
    expect(isConnectionLost(webkitLost())).toBe(true);
    expect(isConnectionLost(webkitLost('An internal error was encountered in the Indexed Database server'))).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('UnknownError Connection to Indexed Database server lost.'), { name: 'UnknownError', inner: webkitLost() }))).toBe(true);
    expect(isConnectionLost(new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError'))).toBe(false);
  });

  it('reopens the store and retries, then gives up with connection-lost if it is lost again', async () => {
    const plan: FaultPlan = {};
    const backend = faultyBackend(createMemoryBackend(), plan);
    const store = await createRecordStore({ partition: 'p', backend, keys: await generateStoreKeys(), onWipe: async () => {} });
    await store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'x', value: 42 }] });
    plan.throwNext = { get: [webkitLost()] };
    expect((await store.get('Observation', 'x'))?.value).toBe(42);
    expect(backend.calls.reopen).toBe(1);
    plan.throwNext = { list: [webkitLost(), webkitLost()] };
    const error = await store.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineStoreError);
    expect((error as OfflineStoreError).code).toBe('connection-lost');
  });
});

/** navigator.locks for one origin: exclusive, callers wait their turn. */
function fakeLocks(): KeyLocks & { granted: string[] } {
  const tails = new Map<string, Promise<unknown>>();
  const granted: string[] = [];
  return {
    granted,
    request(name, callback) {
      const run = (tails.get(name) ?? Promise.resolve()).then(() => {
        granted.push(name);
        return callback();
      });
      tails.set(name, run.catch(() => undefined));
      return run;
    },
  };
}

describe('two tabs opening a new partition at the same moment agree on one key (defect 2b, probe d5)', () => {
  const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: 'Practitioner/prac-001', patient: 'pat-001' };

  it.each([
    ['under a Web Lock', true],
    ['without Web Locks (add-if-absent, then re-read)', false],
  ])('%s: each tab\'s unsent work is readable by the other and after a reload', async (_name, withLocks) => {
    const browser = { indexedDB: new IDBFactory(), IDBKeyRange };
    const locks = withLocks ? fakeLocks() : undefined;
    const tab = () => createOffline({ indexedDB: browser, ...(locks ? { locks } : {}) });
    const [a, b] = [tab(), tab()];
    const [storeA, storeB] = await Promise.all([a.open(owner), b.open(owner)]);
    await storeA.write({ put: [{ cls: 'operational', type: 'housecall:outbox', id: 'from-a', value: { n: 1 } }] });
    await storeB.write({ put: [{ cls: 'operational', type: 'housecall:outbox', id: 'from-b', value: { n: 2 } }] });
    expect((await storeA.list({ type: 'housecall:outbox' })).map((r) => r.id).sort()).toEqual(['from-a', 'from-b']);
    expect((await storeB.list({ type: 'housecall:outbox' })).map((r) => r.id).sort()).toEqual(['from-a', 'from-b']);
    a.dispose();
    b.dispose();
    const reloaded = await tab().open(owner);
    expect((await reloaded.list({ type: 'housecall:outbox' })).map((r) => r.id).sort()).toEqual(['from-a', 'from-b']);
    expect(reloaded.counters()).toMatchObject({ dropped: 0, damaged: 0 });
    if (locks) expect(locks.granted.length).toBeGreaterThanOrEqual(2);
  });
});
