/**
 * The per-tab offline runtime: decides once whether IndexedDB works (else memory-only, reported
 * as `persistent: false`), opens one encrypted store per partition, and wipes.
 *
 * A wipe is crypto-shredding (DESIGN §1 Offline: logout or consent revocation): first the keys
 * are deleted, which makes every row unreadable even if deleting the database is blocked or
 * interrupted; then the databases; then Housecall's Cache Storage and Web Storage entries. The
 * same wipe is broadcast so every other tab closes its stores and does the same; deleting twice
 * is harmless.
 */
import { createMemoryBackend, createMemoryKeyVault, type KeyVault, type RowBackend } from './backend';
import type { ChannelFactory, ChannelLike } from './channel';
import { createDexieBackend, createDexieKeyVault, deleteDexieDatabase, probeIndexedDb, type IndexedDbDeps } from './dexie-backend';
import { databaseName, partitionId, type PartitionOwner } from './partition';
import { generateStoreKeys, type StoreKeys } from './record-cipher';
import { createRecordStore, type DamagedRecord, type DroppedRecord, type RecordStore, type RecordStoreHandle } from './record-store';
import { withTimeout } from './resilience';
import type { RetentionPolicy } from './retention';
import { clearHousecallWebStorage, type WebStorageTargets } from './web-storage';

/** BroadcastChannel name that carries wipes between tabs. */
export const WIPE_CHANNEL = 'housecall-wipe';

/** Every partition on the device, or one (consent revoked for one patient). */
export type WipeScope = { all: true } | { partition: string };

interface WipeMessage {
  type: 'housecall-wipe';
  scope: WipeScope;
}

/** Side effects and policy of the runtime, injected. */
export interface OfflineOptions {
  /** IndexedDB to use, or undefined for memory-only. In a browser: `{ indexedDB, IDBKeyRange }`. */
  indexedDB?: IndexedDbDeps;
  /** Cross-tab channel factory (BroadcastChannel); without it a wipe reaches this tab only. */
  channel?: ChannelFactory;
  /** Housecall's Cache Storage and Web Storage, cleared on a full wipe. */
  webStorage?: WebStorageTargets;
  retention?: Partial<RetentionPolicy>;
  now?: () => number;
  /** Per-operation limit for the stores; default 10 s. */
  timeoutMs?: number;
  /** How long to wait for IndexedDB to answer a first write before falling back; default 3 s. */
  probeTimeoutMs?: number;
  onDropped?: (partition: string, record: DroppedRecord) => void;
  /** A row of unsent work (draft, outbox entry) failed to decrypt and is kept as damaged (record-store.ts). */
  onDamaged?: (partition: string, record: DamagedRecord) => void;
  /**
   * `navigator.locks`: a new partition's key is created under a Web Lock, so two tabs opening it
   * at once agree on one key. Without it, the key is added only if absent and read back.
   */
  locks?: KeyLocks;
  /** Called after this tab finished a wipe, whether it started here or in another tab. */
  onWiped?: (scope: WipeScope, origin: 'local' | 'remote') => void;
}

/** The part of `navigator.locks` used to create keys: an exclusive lock held while `callback` runs. */
export interface KeyLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The per-tab offline runtime. */
export interface Offline {
  /** Opens (or returns the already open) store of this user and patient. */
  open(owner: PartitionOwner): Promise<RecordStore>;
  /**
   * Opens the store of a partition this device already holds a key for, knowing only its id
   * (the offline shell has no server to tell it the owner); undefined when there is none.
   */
  openExisting(partition: string): Promise<RecordStore | undefined>;
  /** Crypto-shreds and deletes, here and in every tab. Default scope: everything. */
  wipe(scope?: WipeScope): Promise<void>;
  /** Whether stores persist across reloads (false: memory-only fallback). */
  persistent(): Promise<boolean>;
  dispose(): void;
}

/** Creates the runtime; IndexedDB is probed on first use. */
export function createOffline(options: OfflineOptions = {}): Offline {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const stores = new Map<string, Promise<RecordStoreHandle>>();
  const memoryBackends = new Map<string, RowBackend>();
  let mode: Promise<{ idb: IndexedDbDeps | undefined; vault: KeyVault }> | undefined;
  const channel: ChannelLike | undefined = options.channel?.(WIPE_CHANNEL);
  /**
   * Partitions wiped while this tab ran (here or in another tab). They stay off the disk for the
   * rest of the tab's life: a view still on screen that asks again after a wipe (issue 5) must
   * not recreate, under a fresh key, the database the wipe just deleted. A new launch loads a
   * new page, and with it a new runtime.
   */
  const shredded = new Set<string>();
  let shreddedVault: KeyVault | undefined;

  function init(): Promise<{ idb: IndexedDbDeps | undefined; vault: KeyVault }> {
    mode ??= probeIndexedDb(options.indexedDB, options.probeTimeoutMs ?? 3_000).then((ok) =>
      ok && options.indexedDB
        ? { idb: options.indexedDB, vault: createDexieKeyVault(options.indexedDB) }
        : { idb: undefined, vault: createMemoryKeyVault() },
    );
    return mode;
  }

  function memoryBackend(partition: string): RowBackend {
    const existing = memoryBackends.get(partition);
    if (existing) return existing;
    const created = createMemoryBackend();
    memoryBackends.set(partition, created);
    return created;
  }

  async function openPartition(partition: string): Promise<RecordStoreHandle> {
    const probed = await init();
    const gone = shredded.has(partition);
    const idb = gone ? undefined : probed.idb;
    const vault = gone ? (shreddedVault ??= createMemoryKeyVault()) : probed.vault;
    const backend = idb ? createDexieBackend(databaseName(partition), idb) : memoryBackend(partition);
    // The lock guards a key two tabs could both create in IndexedDB. A memory-only partition is
    // this tab's alone, and where storage is blocked (a cross-site EHR frame) the browser may
    // refuse the lock or never grant it: the store must open all the same.
    const keys = await partitionKeys(partition, vault, backend, idb && options.locks ? options.locks : undefined);
    const make = (rows: RowBackend, k: StoreKeys): Promise<RecordStoreHandle> =>
      createRecordStore({
        partition,
        backend: rows,
        keys: k,
        ...(options.retention ? { retention: options.retention } : {}),
        ...(options.now ? { now: options.now } : {}),
        timeoutMs,
        onDropped: (record) => options.onDropped?.(partition, record),
        onDamaged: (record) => options.onDamaged?.(partition, record),
        onWipe: () => offline.wipe({ partition }),
      });
    try {
      return await make(backend, keys);
    } catch (error) {
      // IndexedDB answered the probe but this database will not open (blocked, corrupt, full):
      // keep working in memory rather than not at all.
      if (!idb) throw error;
      backend.close();
      return make(memoryBackend(partition), keys);
    }
  }

  /**
   * The partition's keys, created if it has none. Two tabs opening a new partition at once must
   * agree on one key, or the rows one seals are unreadable to the other and its unsent changes
   * are lost (issue 12). Under a Web Lock the first tab creates the key and clears rows left by
   * a key that no longer exists, and the second then finds the key. Without one, the key is
   * added only if absent (one IndexedDB transaction) and the winner's key is used by both; the
   * tab that created it clears only rows stored before it found the key missing, so the other
   * tab's rows survive.
   */
  async function partitionKeys(partition: string, vault: KeyVault, backend: RowBackend, locks: KeyLocks | undefined): Promise<StoreKeys> {
    const loadOrCreate = async (): Promise<StoreKeys> => {
      const existing = await withTimeout(vault.load(partition), timeoutMs);
      if (existing) return existing;
      const missingSince = (options.now ?? Date.now)();
      const { keys, created } = await withTimeout(vault.create(partition, await generateStoreKeys()), timeoutMs);
      // Rows sealed under a key that no longer exists can never be read: start clean.
      if (created && locks) await withTimeout(backend.clear(), timeoutMs);
      else if (created) await withTimeout(clearStoredBefore(backend, missingSince), timeoutMs);
      return keys;
    };
    return locks ? locks.request(`housecall-key-${partition}`, loadOrCreate) : loadOrCreate();
  }

  async function wipeHere(scope: WipeScope, origin: 'local' | 'remote'): Promise<void> {
    const { idb, vault } = await init();
    const known = 'all' in scope ? [...new Set([...(await vault.partitions().catch(() => [])), ...stores.keys(), ...memoryBackends.keys()])] : [scope.partition];
    for (const partition of known) {
      shredded.add(partition);
      const open = stores.get(partition);
      stores.delete(partition);
      if (open) (await open.catch(() => undefined))?.markWiped();
      await withTimeout(vault.remove(partition), timeoutMs);
    }
    for (const partition of known) {
      await memoryBackends.get(partition)?.destroy();
      memoryBackends.delete(partition);
      // Deletion waits for other tabs to close; the keys are already gone, so do not wait forever.
      if (idb) await withTimeout(deleteDexieDatabase(databaseName(partition), idb), timeoutMs).catch(() => undefined);
    }
    if ('all' in scope) {
      await withTimeout(vault.destroy(), timeoutMs).catch(() => undefined);
      mode = undefined;
      if (options.webStorage) await clearHousecallWebStorage(options.webStorage);
    }
    options.onWiped?.(scope, origin);
  }

  const onMessage = (event: { data: unknown }): void => {
    const message = event.data as Partial<WipeMessage> | null;
    if (message?.type === 'housecall-wipe' && message.scope) void wipeHere(message.scope, 'remote').catch(() => undefined);
  };
  channel?.addEventListener('message', onMessage);

  const offline: Offline = {
    async open(owner) {
      const partition = await partitionId(owner);
      let store = stores.get(partition);
      if (!store) {
        store = openPartition(partition);
        stores.set(partition, store);
        store.catch(() => stores.delete(partition));
      }
      return store;
    },
    async openExisting(partition) {
      if (!/^[0-9a-f]{32}$/.test(partition) || shredded.has(partition)) return undefined;
      let store = stores.get(partition);
      if (!store) {
        const { vault } = await init();
        if (!(await withTimeout(vault.load(partition), timeoutMs))) return undefined;
        store = openPartition(partition);
        stores.set(partition, store);
        store.catch(() => stores.delete(partition));
      }
      return store;
    },
    async wipe(scope = { all: true }) {
      // Tell the other tabs first: they close their connections so the deletes here are not blocked.
      channel?.postMessage({ type: 'housecall-wipe', scope } satisfies WipeMessage);
      await wipeHere(scope, 'local');
    },
    async persistent() {
      return (await init()).idb !== undefined;
    },
    dispose() {
      channel?.removeEventListener('message', onMessage);
      channel?.close();
      for (const s of stores.values()) void s.then((h) => h.close(), () => undefined);
    },
  };
  return offline;
}

/** Deletes the rows stored before `at` (left by a key that no longer exists), in one transaction. */
async function clearStoredBefore(backend: RowBackend, at: number): Promise<void> {
  const stale = (await backend.list()).filter((r) => r.storedAt <= at).map((r) => r.key);
  if (stale.length) await backend.commit({ put: [], remove: stale });
}
