import { IDBFactory, IDBKeyRange, forceCloseDatabase } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createDexieBackend } from './dexie-backend';
import { generateStoreKeys } from './record-cipher';
import { createRecordStore } from './record-store';

/** An IDBFactory that remembers every connection it opened, so a test can close them the way a browser does. */
function watchedFactory() {
  const factory = new IDBFactory();
  const connections: IDBDatabase[] = [];
  const open = factory.open.bind(factory);
  factory.open = (name: string, version?: number) => {
    const request = open(name, version);
    request.addEventListener('success', () => connections.push(request.result));
    return request;
  };
  return { factory, connections, forceCloseAll: () => connections.splice(0).forEach((c) => forceCloseDatabase(c as unknown as Parameters<typeof forceCloseDatabase>[0])) };
}

async function storeOn(factory: IDBFactory) {
  const backend = createDexieBackend('partition-db', { indexedDB: factory, IDBKeyRange });
  const store = await createRecordStore({ partition: 'p', backend, keys: await generateStoreKeys(), timeoutMs: 1_000, onDropped: () => {}, onWipe: async () => {} });
  return { backend, store };
}

const note = (id: string) => ({ cls: 'drafts' as const, type: 'housecall:draft', id, value: { text: id } });

describe('a Dexie row backend reopened by several operations at once', () => {
  it('opens once for two reopens asked at the same time, and both succeed', async () => {
    // Each reopen used to close the connection the other was opening: both failed with
    // DatabaseClosedError and the backend was left closed until a third reopen.
    const watched = watchedFactory();
    const { backend, store } = await storeOn(watched.factory);
    await store.write({ put: [note('a')] });
    const opened = watched.connections.length;
    await Promise.all([backend.reopen(), backend.reopen()]);
    expect(watched.connections.length - opened).toBe(1);
    expect(await backend.list()).toHaveLength(3);
    expect((await store.get('housecall:draft', 'a'))?.value).toEqual({ text: 'a' });
  });

  it('opens again for a reopen asked after the last one finished', async () => {
    const watched = watchedFactory();
    const { backend } = await storeOn(watched.factory);
    const opened = watched.connections.length;
    await backend.reopen();
    await backend.reopen();
    expect(watched.connections.length - opened).toBe(2);
    expect(await backend.list()).toHaveLength(2);
  });

  it('answers every operation that found the connection closed by the browser', async () => {
    const watched = watchedFactory();
    const { store } = await storeOn(watched.factory);
    await store.write({ put: [note('a'), note('b')] });
    watched.forceCloseAll();
    const reads = await Promise.allSettled([
      store.get('housecall:draft', 'a'),
      store.get('housecall:draft', 'b'),
      store.list({ type: 'housecall:draft' }),
      store.write({ put: [note('c')] }),
      store.get('housecall:draft', 'a'),
    ]);
    expect(reads.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect((await store.list({ type: 'housecall:draft' })).map((r) => r.id).sort()).toEqual(['a', 'b', 'c']);
  });
});
