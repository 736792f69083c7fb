/**
 * The encrypted record store: the only door to local data (STYLE rule 1).
 *
 * Model: a partition (one user, one patient, one EHR) is a set of rows keyed by an HMAC of
 * (type, id), each sealed with AES-GCM and bound to its identity (record-cipher.ts). Each row
 * carries a data class; retention is judged at read time from the class and the time the row
 * was stored, so a changed policy applies at once. A cached row that fails to decrypt (tampered,
 * swapped, or sealed under a key that no longer exists) is deleted, counted and reported, so
 * sync can fetch it again (a `housecall:dropped` row per type says when: `droppedAt`); it is never returned.
 * A row of the person's own unsent work (a draft, an outbox entry) cannot be fetched again, so
 * one that fails is never deleted silently: it is kept as damaged, counted, reported, listed by
 * `damaged()` with what its clear metadata says it was, and removed only by `discardDamaged()`. A marker row with a random generation lets the
 * app notice that the browser emptied the database while this tab still had work in memory.
 */
import { type RowBackend, type RowFilter, type StoredRow, rowSize } from './backend';
import { OfflineStoreError, isQuotaError } from './errors';
import { openRecord, rowKeyOf, sealRecord, type StoreKeys } from './record-cipher';
import { planEviction, withReopen } from './resilience';
import { DATA_CLASSES, DEFAULT_RETENTION, isDisposable, isExpired, type DataClass, type RetentionPolicy } from './retention';

/** A record to store. */
export interface RecordInput<T = unknown> {
  cls: DataClass;
  type: string;
  id: string;
  /** `meta.versionId`, or a content hash for versionless servers. */
  version?: string;
  value: T;
}

/** A record's identity. */
export interface RecordRef {
  type: string;
  id: string;
}

/** A decrypted record with its class and age. */
export interface StoredRecord<T = unknown> {
  cls: DataClass;
  type: string;
  id: string;
  version?: string;
  value: T;
  /** Device time it was stored. */
  storedAt: number;
  /** Past its class's retention: show as "old copy", never as current. */
  expired: boolean;
}

/** How reads treat expired records. */
export interface ReadOptions {
  /** `hide` (default): expired records are not returned. `mark`: returned with `expired: true`. */
  expired?: 'hide' | 'mark';
}

/** A record that could not be decrypted and was deleted. `id` is known only for direct reads. */
export interface DroppedRecord {
  type: string;
  id?: string;
  cls: DataClass;
}

/**
 * Row types of unsent work besides drafts (lib/sync's outbox entries): kept when they fail to
 * decrypt, like drafts, because no server holds another copy.
 */
export const UNSENT_WORK_TYPES: ReadonlySet<string> = new Set(['housecall:outbox']);

/** A row of unsent work that can no longer be decrypted, described from its clear metadata only. */
export interface DamagedRecord {
  /** The row's key (an HMAC; safe to log), for `discardDamaged`. */
  key: string;
  type: string;
  cls: DataClass;
  /** The row's clear version field: for outbox rows, what the change was (`editTelecom:Patient`). */
  hint?: string;
  storedAt: number;
}

/** Row counts and ages per class, from clear metadata (no decryption). */
export interface ClassStats {
  count: number;
  /** storedAt of the newest and oldest row, if any. */
  newest?: number;
  oldest?: number;
}

/** The encrypted store of one partition. */
export interface RecordStore {
  /** Partition id (a hash; safe to log). */
  readonly partition: string;
  /** False when running on memory because IndexedDB is unavailable. */
  readonly persistent: boolean;
  get<T = unknown>(type: string, id: string, options?: ReadOptions): Promise<StoredRecord<T> | undefined>;
  list<T = unknown>(filter?: RowFilter, options?: ReadOptions): Promise<StoredRecord<T>[]>;
  /** Puts and removals in one transaction: a page of sync results and its cursor land together or not at all. */
  write(change: { put?: readonly RecordInput[]; remove?: readonly RecordRef[] }): Promise<void>;
  /** Deletes expired reference and clinical rows; never drafts or operational state. Returns how many. */
  sweep(now?: number): Promise<number>;
  stats(): Promise<Record<DataClass, ClassStats>>;
  /** `damaged`: rows of unsent work found undecryptable (each counted once per store). */
  counters(): { dropped: number; evicted: number; damaged: number };
  /** Rows of unsent work (drafts, outbox entries) that can no longer be decrypted and are kept for the person to see. */
  damaged(): Promise<DamagedRecord[]>;
  /** Deletes one damaged row the person chose to discard; false if there is no such damaged row (it was read fine, or is gone). */
  discardDamaged(key: string): Promise<boolean>;
  /** Device time a record of `type` last failed to decrypt and was dropped, if ever (sync fetches the type again). */
  droppedAt(type: string): Promise<number | undefined>;
  /** False if the database was emptied or replaced since this store opened it (see detectLostWork). */
  isIntact(): Promise<boolean>;
  /** Crypto-shreds this partition in every tab. */
  wipe(): Promise<void>;
  close(): void;
}

/** A store's parts and policy, injected. */
export interface RecordStoreOptions {
  partition: string;
  backend: RowBackend;
  keys: StoreKeys;
  retention?: Partial<RetentionPolicy>;
  now?: () => number;
  /** Per-operation limit; default 10 s. */
  timeoutMs?: number;
  onDropped?: (record: DroppedRecord) => void;
  /** A row of unsent work failed to decrypt and was kept as damaged (once per row per store). */
  onDamaged?: (record: DamagedRecord) => void;
  onWipe: () => Promise<void>;
}

/** Internal handle the runtime keeps; `markWiped` makes every later call fail with `wiped`. */
export interface RecordStoreHandle extends RecordStore {
  markWiped(): void;
}

const MARKER = { type: 'housecall:marker', id: 'store' } as const;
/** Row type of the per-type "a record was dropped at" notes. */
export const DROPPED_TYPE = 'housecall:dropped';

/** Opens a store over a backend with its keys; writes the marker row on first use. */
export async function createRecordStore(options: RecordStoreOptions): Promise<RecordStoreHandle> {
  const { partition, backend, keys } = options;
  const policy: RetentionPolicy = { ...DEFAULT_RETENTION, ...options.retention };
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let wiped = false;
  let dropped = 0;
  let evicted = 0;
  const damagedKeys = new Set<string>();
  let damagedSeen = 0;

  const guard = <T>(op: () => Promise<T>): Promise<T> => {
    if (wiped) return Promise.reject(new OfflineStoreError('wiped'));
    return withReopen(op, () => backend.reopen(), timeoutMs);
  };
  const identity = (row: Pick<StoredRow, 'type' | 'key' | 'version'>) => ({ partition, type: row.type, rowKey: row.key, version: row.version });

  async function drop(row: StoredRow, id?: string): Promise<void> {
    dropped += 1;
    // The row goes, and a note of when, in one commit: the note is what makes sync fetch the type again.
    const note = row.type === DROPPED_TYPE ? [] : [await seal({ cls: 'operational', type: DROPPED_TYPE, id: row.type, value: { at: now() } }, now())];
    await guard(() => backend.commit({ put: note, remove: [row.key] })).catch(() => undefined);
    options.onDropped?.({ type: row.type, cls: row.cls, ...(id !== undefined ? { id } : {}) });
  }

  const isUnsentWork = (row: Pick<StoredRow, 'cls' | 'type'>) => row.cls === 'drafts' || (row.cls === 'operational' && UNSENT_WORK_TYPES.has(row.type));
  const describeDamaged = (row: StoredRow): DamagedRecord => ({ key: row.key, type: row.type, cls: row.cls, storedAt: row.storedAt, ...(row.version ? { hint: row.version } : {}) });

  /** Unsent work that fails to decrypt stays on disk, counted and reported once: the person decides. */
  function keepDamaged(row: StoredRow): void {
    if (damagedKeys.has(row.key)) return;
    damagedKeys.add(row.key);
    damagedSeen += 1;
    options.onDamaged?.(describeDamaged(row));
  }

  async function opens(row: StoredRow, expectedId?: string): Promise<{ id: string; value: unknown } | undefined> {
    try {
      const opened = await openRecord(keys, identity(row), row);
      if (expectedId !== undefined && opened.id !== expectedId) throw new Error('identity mismatch');
      return opened;
    } catch {
      return undefined;
    }
  }

  async function decode<T>(row: StoredRow, readOptions: ReadOptions | undefined, expectedId?: string): Promise<StoredRecord<T> | undefined> {
    const expired = isExpired(row.cls, row.storedAt, now(), policy);
    if (expired && (readOptions?.expired ?? 'hide') === 'hide') return undefined;
    const opened = await opens(row, expectedId);
    if (!opened) {
      if (isUnsentWork(row)) keepDamaged(row);
      else await drop(row, expectedId);
      return undefined;
    }
    return {
      cls: row.cls, type: row.type, id: opened.id, value: opened.value as T, storedAt: row.storedAt, expired,
      ...(row.version ? { version: row.version } : {}),
    };
  }

  async function seal(input: RecordInput, at: number): Promise<StoredRow> {
    const key = await rowKeyOf(keys, partition, input.type, input.id);
    const version = input.version ?? '';
    const sealed = await sealRecord(keys, { partition, type: input.type, rowKey: key, version }, input.id, input.value);
    return { key, cls: input.cls, type: input.type, version, storedAt: at, iv: sealed.iv, data: sealed.data };
  }

  async function commitWithEviction(put: StoredRow[], remove: string[]): Promise<void> {
    try {
      await guard(() => backend.commit({ put, remove }));
      return;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
    const rows = await guard(() => backend.list());
    const need = put.reduce((n, r) => n + rowSize(r), 0);
    const plan = planEviction(rows, need, now(), policy);
    if (plan.keys.length) {
      await guard(() => backend.commit({ put: [], remove: plan.keys }));
      evicted += plan.keys.length;
    }
    try {
      await guard(() => backend.commit({ put, remove }));
    } catch (error) {
      if (isQuotaError(error)) throw new OfflineStoreError('quota-exceeded', { cause: error });
      throw error;
    }
  }

  const store: RecordStoreHandle = {
    partition,
    persistent: backend.persistent,
    async get<T>(type: string, id: string, readOptions?: ReadOptions) {
      const key = await rowKeyOf(keys, partition, type, id);
      const row = await guard(() => backend.get(key));
      return row ? decode<T>(row, readOptions, id) : undefined;
    },
    async list<T>(filter?: RowFilter, readOptions?: ReadOptions) {
      const rows = await guard(() => backend.list(filter));
      const out: StoredRecord<T>[] = [];
      for (const row of rows) {
        if (row.type === MARKER.type) continue;
        const record = await decode<T>(row, readOptions);
        if (record) out.push(record);
      }
      return out;
    },
    async write(change) {
      if (wiped) throw new OfflineStoreError('wiped');
      const at = now();
      const put = await Promise.all((change.put ?? []).map((input) => seal(input, at)));
      const remove = await Promise.all((change.remove ?? []).map((ref) => rowKeyOf(keys, partition, ref.type, ref.id)));
      await commitWithEviction(put, remove);
    },
    async sweep(at = now()) {
      const rows = await guard(() => backend.list());
      const keysToRemove = rows.filter((r) => isDisposable(r.cls) && isExpired(r.cls, r.storedAt, at, policy)).map((r) => r.key);
      if (keysToRemove.length) await guard(() => backend.commit({ put: [], remove: keysToRemove }));
      return keysToRemove.length;
    },
    async stats() {
      const rows = await guard(() => backend.list());
      const out = Object.fromEntries(DATA_CLASSES.map((c) => [c, { count: 0 } as ClassStats])) as Record<DataClass, ClassStats>;
      for (const row of rows) {
        if (row.type === MARKER.type) continue;
        const s = out[row.cls];
        s.count += 1;
        s.newest = Math.max(s.newest ?? -Infinity, row.storedAt);
        s.oldest = Math.min(s.oldest ?? Infinity, row.storedAt);
      }
      return out;
    },
    counters: () => ({ dropped, evicted, damaged: damagedSeen }),
    async damaged() {
      const rows = await guard(() => backend.list());
      const out: DamagedRecord[] = [];
      for (const row of rows) {
        if (!isUnsentWork(row) || (await opens(row))) continue;
        keepDamaged(row);
        out.push(describeDamaged(row));
      }
      return out;
    },
    async discardDamaged(key) {
      if (wiped) throw new OfflineStoreError('wiped');
      const row = await guard(() => backend.get(key));
      if (!row || !isUnsentWork(row) || (await opens(row))) return false;
      await guard(() => backend.commit({ put: [], remove: [key] }));
      damagedKeys.delete(key);
      return true;
    },
    async droppedAt(type) {
      return (await store.get<{ at: number }>(DROPPED_TYPE, type))?.value.at;
    },
    async isIntact() {
      if (wiped) return false;
      const marker = await store.get<{ generation: string }>(MARKER.type, MARKER.id);
      return marker?.value.generation === generation;
    },
    wipe: () => options.onWipe(),
    close: () => backend.close(),
    markWiped() {
      wiped = true;
      backend.close();
    },
  };

  const existing = await store.get<{ generation: string }>(MARKER.type, MARKER.id);
  const generation = existing?.value.generation ?? crypto.randomUUID();
  if (!existing) await store.write({ put: [{ cls: 'operational', ...MARKER, value: { generation } }] });
  return store;
}
