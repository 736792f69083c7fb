/**
 * The shapes of the encrypted record store (record-store.ts): what goes in, what comes out, what
 * is reported when a row is lost or damaged, and the store's interface and options.
 */
import type { RowBackend, RowFilter } from './backend';
import type { StoreKeys } from './record-cipher';
import type { DataClass, RetentionPolicy } from './retention';

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

/** Why a row was dropped: it failed to decrypt, it is an older copy than the manifest records, or it predates counters. */
export type DropReason = 'damaged' | 'rolled-back' | 'old-format';

/** A record that could not be decrypted and was deleted. `id` is known only for direct reads. */
export interface DroppedRecord {
  type: string;
  id?: string;
  cls: DataClass;
  reason?: DropReason;
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
  /**
   * Device time a record of `type` was last lost: dropped (failed to decrypt, rolled back), evicted
   * for space or swept as expired; sync then fetches the type again.
   */
  droppedAt(type: string): Promise<number | undefined>;
  /** False if the database was emptied or replaced since this store opened it (lib/sync lost-storage.ts). */
  isIntact(): Promise<boolean>;
  /** The random id of the database this store opened, made when it was created: a database created afresh has a new one. */
  generation(): string;
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
