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
 *
 * Rollback: every write of a cache row (reference, clinical) takes the next value of a per-row
 * counter, bound into its ciphertext with its class and stored-at time (record-cipher.ts v2), and
 * the partition's manifest (one sealed operational row) keeps the latest counter of each such
 * row, and a higher one for a row removed. A cache row whose counter differs from the manifest's
 * (an older copy put back), or whose clear class or time was edited, is dropped like a damaged
 * one and fetched again. Cache rows of the first format (no counter) are dropped the same way,
 * once; drafts and operational rows of that format are still read. Rows lost for space
 * (eviction) or to age (`sweep`) leave the same per-type note, so sync fetches them again.
 */
import { type RowFilter, type StoredRow, rowSize } from './backend';
import { OfflineStoreError, isQuotaError } from './errors';
import { openRecord, rowKeyOf, sealRecord } from './record-cipher';
import { UNSENT_WORK_TYPES, type ClassStats, type DamagedRecord, type DropReason, type ReadOptions, type RecordInput, type RecordStoreHandle, type RecordStoreOptions, type StoredRecord } from './record-store-types';
import { planEviction, withReopen } from './resilience';
import { DATA_CLASSES, DEFAULT_RETENTION, isDisposable, isExpired, type DataClass, type RetentionPolicy } from './retention';

export type { ClassStats, DamagedRecord, DropReason, DroppedRecord, ReadOptions, RecordInput, RecordRef, RecordStore, RecordStoreHandle, RecordStoreOptions, StoredRecord } from './record-store-types';
export { UNSENT_WORK_TYPES } from './record-store-types';

const MARKER = { type: 'housecall:marker', id: 'store' } as const;
/** Row type of the manifest of cache-row counters (see the module comment). */
export const MANIFEST_TYPE = 'housecall:manifest';
const MANIFEST_ID = 'counters';
/** Rows the store keeps for itself and never lists. */
const INTERNAL_TYPES = new Set<string>([MARKER.type, MANIFEST_TYPE]);

/** Latest write counter by row key, of cache rows only. */
type Manifest = Record<string, number>;
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
  const identity = (row: Pick<StoredRow, 'type' | 'key' | 'version' | 'cls' | 'storedAt' | 'counter'>) => ({
    partition, type: row.type, rowKey: row.key, version: row.version,
    ...(row.counter !== undefined ? { cls: row.cls, storedAt: row.storedAt, counter: row.counter } : {}),
  });
  let manifestKey: string | undefined;
  const keyOfManifest = async () => (manifestKey ??= await rowKeyOf(keys, partition, MANIFEST_TYPE, MANIFEST_ID));

  // The last manifest opened, by its IV: every write seals it under a fresh IV, so the same IV is
  // the same manifest and need not be decrypted again (a large chart's manifest is ~400 KB).
  let lastManifest: { iv: string; value: Manifest } | undefined;
  /** The manifest as stored now (another tab may have written since), a copy; empty if absent or unreadable. */
  async function loadManifest(): Promise<Manifest> {
    const row = await guard(async () => backend.get(await keyOfManifest()));
    if (!row) return {};
    const iv = Array.from(new Uint8Array(row.iv), (b) => b.toString(16).padStart(2, '0')).join('');
    if (lastManifest?.iv === iv) return { ...lastManifest.value };
    try {
      const value = (await openRecord(keys, identity(row), row)).value as Manifest;
      lastManifest = { iv, value };
      return { ...value };
    } catch {
      return {};
    }
  }

  // Writes that read and rewrite the manifest run one at a time in this tab.
  let writing: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = writing.then(work, work);
    writing = run.catch(() => undefined);
    return run;
  };

  /** Notes that rows of these types were lost, so sync fetches the types again (never for the notes themselves). */
  const lostNotes = (types: Iterable<string>, at: number): Promise<StoredRow[]> =>
    Promise.all([...new Set(types)].filter((t) => t !== DROPPED_TYPE && !INTERNAL_TYPES.has(t)).map(async (t) => seal({ cls: 'operational', type: DROPPED_TYPE, id: t, value: { at } }, at, 0)));

  async function drop(row: StoredRow, id?: string, reason: DropReason = 'damaged'): Promise<void> {
    dropped += 1;
    // The row goes, and a note of when, in one commit: the note is what makes sync fetch the type again.
    const note = await lostNotes([row.type], now());
    await guard(() => backend.commit({ put: note, remove: [row.key] })).catch(() => undefined);
    options.onDropped?.({ type: row.type, cls: row.cls, ...(id !== undefined ? { id } : {}), reason });
  }

  // Cache rows carry a write counter of 1 or more; drafts and operational rows 0 (or none, in the
  // first format). A cached copy whose clear class was edited to `drafts` keeps its counter, so it
  // is still dropped and fetched again rather than kept as someone's unsent work.
  const isUnsentWork = (row: Pick<StoredRow, 'cls' | 'type' | 'counter'>) =>
    !row.counter && (row.cls === 'drafts' || (row.cls === 'operational' && UNSENT_WORK_TYPES.has(row.type)));
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

  /**
   * Whether a cache row's counter is the one the manifest records. On a mismatch both are read
   * again: a write (this tab's or another's) may have replaced the row between the two reads, and
   * a copy superseded while being read is not a rollback.
   */
  async function isCurrent(row: StoredRow, manifest: { value?: Manifest }): Promise<boolean> {
    if (!isDisposable(row.cls)) return true;
    if (row.counter === undefined) return false;
    manifest.value ??= await loadManifest();
    if (manifest.value[row.key] === row.counter) return true;
    manifest.value = await loadManifest();
    if (manifest.value[row.key] === row.counter) return true;
    const now = await guard(() => backend.get(row.key));
    return now !== undefined && now.counter !== row.counter;
  }

  async function decode<T>(row: StoredRow, readOptions: ReadOptions | undefined, expectedId?: string, manifest: { value?: Manifest } = {}): Promise<StoredRecord<T> | undefined> {
    const opened = await opens(row, expectedId);
    if (!opened) {
      if (isUnsentWork(row)) keepDamaged(row);
      else await drop(row, expectedId);
      return undefined;
    }
    // Authenticated now: its class and time are the ones it was sealed with. A cache row must also be the latest written.
    if (!(await isCurrent(row, manifest))) {
      await drop(row, expectedId, row.counter === undefined ? 'old-format' : 'rolled-back');
      return undefined;
    }
    const expired = isExpired(row.cls, row.storedAt, now(), policy);
    if (expired && (readOptions?.expired ?? 'hide') === 'hide') return undefined;
    return {
      cls: row.cls, type: row.type, id: opened.id, value: opened.value as T, storedAt: row.storedAt, expired,
      ...(row.version ? { version: row.version } : {}),
    };
  }

  async function seal(input: RecordInput, at: number, counter: number, key?: string): Promise<StoredRow> {
    const rowKey = key ?? (await rowKeyOf(keys, partition, input.type, input.id));
    const version = input.version ?? '';
    const row = { key: rowKey, cls: input.cls, type: input.type, version, storedAt: at, counter };
    const sealed = await sealRecord(keys, identity(row), input.id, input.value);
    return { ...row, iv: sealed.iv, data: sealed.data };
  }

  const sealManifest = async (manifest: Manifest, at: number) => seal({ cls: 'operational', type: MANIFEST_TYPE, id: MANIFEST_ID, value: manifest }, at, 0, await keyOfManifest());

  /** Removed cache rows get a higher counter in the manifest, so a removed copy put back reads as rolled back. */
  const retire = (manifest: Manifest, removed: readonly string[]) => {
    for (const key of removed) if (key in manifest) manifest[key] = manifest[key]! + 1;
  };

  /** Seals `inputs` with their next counters and commits them, the removals and the manifest in one transaction. */
  function commitRecords(inputs: readonly RecordInput[], remove: string[], at: number): Promise<void> {
    return serial(async () => {
      const manifest = await loadManifest();
      const put: StoredRow[] = [];
      for (const input of inputs) {
        const key = await rowKeyOf(keys, partition, input.type, input.id);
        let counter = 0;
        if (isDisposable(input.cls)) {
          counter = (manifest[key] ?? 0) + 1;
          manifest[key] = counter;
        }
        put.push(await seal(input, at, counter, key));
      }
      retire(manifest, remove.filter((k) => !put.some((r) => r.key === k)));
      await commitWithEviction(put, remove, manifest, at);
    });
  }

  async function commitWithEviction(put: StoredRow[], remove: string[], manifest: Manifest, at: number): Promise<void> {
    try {
      await guard(async () => backend.commit({ put: [...put, await sealManifest(manifest, at)], remove }));
      return;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
    const rows = await guard(() => backend.list());
    // Room for the rows, and a little for the manifest's growth and the note that says what eviction took.
    const need = put.reduce((n, r) => n + rowSize(r), 0) + 256;
    const plan = planEviction(rows.filter((r) => !put.some((p) => p.key === r.key)), need, now(), policy);
    // Evicted rows are noted by type, so sync downloads them again when it next runs. The removal
    // goes first and alone (it writes nothing, so a full disk cannot refuse it); the notes go with
    // the rows, or on their own if the rows still do not fit.
    const gone = new Set(plan.keys);
    const notes = await lostNotes(rows.filter((r) => gone.has(r.key)).map((r) => r.type), now());
    if (plan.keys.length) {
      await guard(() => backend.commit({ put: [], remove: plan.keys }));
      evicted += plan.keys.length;
      retire(manifest, plan.keys);
    }
    try {
      await guard(async () => backend.commit({ put: [...put, ...notes, await sealManifest(manifest, at)], remove }));
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      if (notes.length) {
        // The manifest as it stands without this write: its rows and removals did not happen.
        const unchanged = { ...manifest };
        for (const row of put) if (row.counter) unchanged[row.key] = row.counter - 1;
        for (const key of remove) if (!put.some((r) => r.key === key) && unchanged[key] !== undefined) unchanged[key] = unchanged[key]! - 1;
        await guard(async () => backend.commit({ put: [...notes, await sealManifest(unchanged, at)], remove: [] })).catch(() => undefined);
      }
      throw new OfflineStoreError('quota-exceeded', { cause: error });
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
      const manifest: { value?: Manifest } = {};
      for (const row of rows) {
        if (INTERNAL_TYPES.has(row.type)) continue;
        const record = await decode<T>(row, readOptions, undefined, manifest);
        if (record) out.push(record);
      }
      return out;
    },
    async write(change) {
      if (wiped) throw new OfflineStoreError('wiped');
      const remove = await Promise.all((change.remove ?? []).map((ref) => rowKeyOf(keys, partition, ref.type, ref.id)));
      await commitRecords(change.put ?? [], remove, now());
    },
    async sweep(at = now()) {
      // Clear metadata decides. A row whose clear class or time was edited to escape this stays on
      // disk only until it is read: it then fails authentication and is dropped.
      const rows = (await guard(() => backend.list())).filter((r) => isDisposable(r.cls) && isExpired(r.cls, r.storedAt, at, policy));
      if (!rows.length) return 0;
      await serial(async () => {
        const manifest = await loadManifest();
        retire(manifest, rows.map((r) => r.key));
        const notes = await lostNotes(rows.map((r) => r.type), at);
        await guard(async () => backend.commit({ put: [...notes, await sealManifest(manifest, at)], remove: rows.map((r) => r.key) }));
      });
      return rows.length;
    },
    async stats() {
      const rows = await guard(() => backend.list());
      const out = Object.fromEntries(DATA_CLASSES.map((c) => [c, { count: 0 } as ClassStats])) as Record<DataClass, ClassStats>;
      for (const row of rows) {
        if (INTERNAL_TYPES.has(row.type)) continue;
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
    generation: () => generation,
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
