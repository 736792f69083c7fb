/**
 * The storage ports under the encrypted record store, and their memory-only versions.
 *
 * A backend holds sealed rows and knows nothing about encryption or retention; the record store
 * above it does both. Two implementations: IndexedDB through Dexie (dexie-backend.ts) and plain
 * memory, used when IndexedDB is unavailable (partitioned or blocked storage inside an EHR
 * iframe, private modes) so the app keeps working for the life of the tab, reporting
 * `persistent: false`.
 */
import type { StoreKeys } from './record-cipher';
import type { DataClass } from './retention';

/** One sealed record as stored. Only the key, class, type, version, time and counter are in clear, and all are authenticated. */
export interface StoredRow {
  /** HMAC row key (see record-cipher.ts). */
  key: string;
  cls: DataClass;
  type: string;
  version: string;
  /** Device time the row was written, for retention. */
  storedAt: number;
  /**
   * Write counter of the row's key (format v2), bound into the ciphertext and recorded in the
   * partition's manifest; absent in rows of the first format (record-store.ts).
   */
  counter?: number;
  iv: Uint8Array;
  data: ArrayBuffer;
}

/** One transaction's writes. */
export interface RowChange {
  put: StoredRow[];
  remove: string[];
}

/** Which rows to list (indexed fields only). */
export interface RowFilter {
  type?: string;
  cls?: DataClass;
}

/** Sealed-row storage: IndexedDB or memory. */
export interface RowBackend {
  readonly persistent: boolean;
  get(key: string): Promise<StoredRow | undefined>;
  list(filter?: RowFilter): Promise<StoredRow[]>;
  /** Applies the puts and removals in one transaction: all or nothing. */
  commit(change: RowChange): Promise<void>;
  /** Deletes every row, keeping the database. */
  clear(): Promise<void>;
  /** Closes and opens the connection again (after the browser closed it under us). */
  reopen(): Promise<void>;
  close(): void;
  /** Deletes the database itself. */
  destroy(): Promise<void>;
}

/** Where each partition's keys live, apart from the rows they protect. */
export interface KeyVault {
  readonly persistent: boolean;
  load(partition: string): Promise<StoreKeys | undefined>;
  save(partition: string, keys: StoreKeys): Promise<void>;
  /**
   * Stores `keys` only if the partition has none (one transaction), and returns the partition's
   * keys: these, or the ones another tab stored first. Two tabs opening a new partition at once
   * so end up with one key.
   */
  create(partition: string, keys: StoreKeys): Promise<{ keys: StoreKeys; created: boolean }>;
  remove(partition: string): Promise<void>;
  partitions(): Promise<string[]>;
  close(): void;
  destroy(): Promise<void>;
}

/** Approximate bytes a row takes, for quota accounting and eviction plans. */
export function rowSize(row: StoredRow): number {
  return row.data.byteLength + row.iv.byteLength + row.key.length + row.type.length + row.version.length + 32;
}

function matches(row: StoredRow, filter: RowFilter | undefined): boolean {
  return (filter?.type === undefined || row.type === filter.type) && (filter?.cls === undefined || row.cls === filter.cls);
}

/** Options of the memory backend. */
export interface MemoryBackendOptions {
  /** Refuse commits that would take the total above this many bytes, as a full disk does. */
  quotaBytes?: number;
}

/** Rows in a Map. Survives `reopen()`; `destroy()` empties it. */
export function createMemoryBackend(options: MemoryBackendOptions = {}): RowBackend & { bytes(): number } {
  const rows = new Map<string, StoredRow>();
  const bytes = (): number => [...rows.values()].reduce((n, r) => n + rowSize(r), 0);
  return {
    persistent: false,
    bytes,
    async get(key) {
      return rows.get(key);
    },
    async list(filter) {
      return [...rows.values()].filter((r) => matches(r, filter));
    },
    async commit(change) {
      if (options.quotaBytes !== undefined) {
        const after = new Map(rows);
        for (const k of change.remove) after.delete(k);
        for (const r of change.put) after.set(r.key, r);
        const total = [...after.values()].reduce((n, r) => n + rowSize(r), 0);
        if (total > options.quotaBytes) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      for (const k of change.remove) rows.delete(k);
      for (const r of change.put) rows.set(r.key, r);
    },
    async clear() {
      rows.clear();
    },
    async reopen() {},
    close() {},
    async destroy() {
      rows.clear();
    },
  };
}

/** Keys in memory, for the memory-only fallback. */
export function createMemoryKeyVault(): KeyVault {
  const keys = new Map<string, StoreKeys>();
  return {
    persistent: false,
    async load(partition) {
      return keys.get(partition);
    },
    async save(partition, k) {
      keys.set(partition, k);
    },
    async create(partition, k) {
      const existing = keys.get(partition);
      if (existing) return { keys: existing, created: false };
      keys.set(partition, k);
      return { keys: k, created: true };
    },
    async remove(partition) {
      keys.delete(partition);
    },
    async partitions() {
      return [...keys.keys()];
    },
    close() {},
    async destroy() {
      keys.clear();
    },
  };
}
