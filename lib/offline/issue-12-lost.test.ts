/** Issue 12, "Nothing lost": the encrypted store's side (review defects 2 and 3, probes d3, d5, e1). */
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from './backend';
import { isConnectionLost, OfflineStoreError } from './errors';
import { generateStoreKeys } from './record-cipher';
import { createRecordStore } from './record-store';
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
