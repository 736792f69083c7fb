/**
 * IndexedDB through Dexie: one database per partition holding sealed rows, and one key database
 * holding each partition's non-extractable CryptoKeys (stored as CryptoKey objects by structured
 * clone, never as raw bytes). The IDBFactory is injected so tests run on fake-indexeddb and so
 * the app can decide, once, whether IndexedDB is usable at all.
 */
import { Dexie, type Table } from 'dexie';
import type { KeyVault, RowBackend, StoredRow } from './backend';
import { KEY_DATABASE } from './partition';
import type { StoreKeys } from './record-cipher';

/** The IndexedDB implementation to use (the browser's, or fake-indexeddb in tests). */
export interface IndexedDbDeps {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

function open(name: string, deps: IndexedDbDeps): Dexie {
  return new Dexie(name, { indexedDB: deps.indexedDB, IDBKeyRange: deps.IDBKeyRange, autoOpen: true });
}

/** Sealed rows of one partition: `records` keyed by HMAC row key, indexed by type and class. */
export function createDexieBackend(name: string, deps: IndexedDbDeps): RowBackend {
  const db = open(name, deps);
  db.version(1).stores({ records: 'key, type, cls' });
  const records = (): Table<StoredRow, string> => db.table('records');
  // Several operations can find the connection lost at once and each asks for a reopen. Dexie's
  // close() cancels an open in progress, so two reopens run side by side fail each other and leave
  // the database closed: they share one instead.
  let reopening: Promise<void> | undefined;
  return {
    persistent: true,
    get: (key) => records().get(key),
    async list(filter) {
      if (filter?.type !== undefined) {
        const rows = await records().where('type').equals(filter.type).toArray();
        return filter.cls === undefined ? rows : rows.filter((r) => r.cls === filter.cls);
      }
      if (filter?.cls !== undefined) return records().where('cls').equals(filter.cls).toArray();
      return records().toArray();
    },
    async commit(change) {
      await db.transaction('rw', records(), async () => {
        if (change.remove.length) await records().bulkDelete(change.remove);
        if (change.put.length) await records().bulkPut(change.put);
      });
    },
    async clear() {
      await records().clear();
    },
    reopen() {
      reopening ??= (async () => {
        db.close();
        await db.open();
      })().finally(() => {
        reopening = undefined;
      });
      return reopening;
    },
    close() {
      db.close();
    },
    async destroy() {
      await db.delete();
    },
  };
}

interface KeyRow {
  partition: string;
  aes: CryptoKey;
  mac: CryptoKey;
}

/** The key database. Deleting a partition's row here is what makes its data unreadable. */
export function createDexieKeyVault(deps: IndexedDbDeps): KeyVault {
  const db = open(KEY_DATABASE, deps);
  db.version(1).stores({ keys: 'partition' });
  const keys = (): Table<KeyRow, string> => db.table('keys');
  return {
    persistent: true,
    async load(partition) {
      const row = await keys().get(partition);
      return row ? ({ aes: row.aes, mac: row.mac } satisfies StoreKeys) : undefined;
    },
    async save(partition, k) {
      await keys().put({ partition, aes: k.aes, mac: k.mac });
    },
    async create(partition, k) {
      // IndexedDB runs read-write transactions on one store one at a time, across tabs too.
      return db.transaction('rw', keys(), async () => {
        const row = await keys().get(partition);
        if (row) return { keys: { aes: row.aes, mac: row.mac } satisfies StoreKeys, created: false };
        await keys().add({ partition, aes: k.aes, mac: k.mac });
        return { keys: k, created: true };
      });
    },
    async remove(partition) {
      await keys().delete(partition);
    },
    async partitions() {
      return (await keys().toCollection().primaryKeys()).map(String);
    },
    close() {
      db.close();
    },
    async destroy() {
      await db.delete();
    },
  };
}

/** Deletes a database by name without keeping a connection open. */
export async function deleteDexieDatabase(name: string, deps: IndexedDbDeps): Promise<void> {
  await open(name, deps).delete();
}

/**
 * Whether IndexedDB works here: some embedded, private or partitioned contexts expose
 * `indexedDB` but fail or hang on open. Resolves false rather than hanging.
 */
export async function probeIndexedDb(deps: IndexedDbDeps | undefined, timeoutMs: number): Promise<boolean> {
  if (!deps) return false;
  const probe = open(`${KEY_DATABASE}-probe`, deps);
  probe.version(1).stores({ p: 'k' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const ok = await Promise.race([
      probe.table('p').put({ k: 1 }).then(() => probe.delete().then(() => true), () => false),
      timeout,
    ]);
    return ok;
  } finally {
    clearTimeout(timer);
    probe.close();
  }
}
