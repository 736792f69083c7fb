/**
 * What sync needs from local storage, and its implementation on the encrypted record store.
 *
 * Model: the outbox entries, the cursors and the cached resources all live in one partition of
 * lib/offline, so a page of server data and its cursor, or an outbox transition and the cache
 * copy it produces, are written in one transaction. Outbox entries and cursors are
 * `operational` (never evicted); a local copy that carries an unsent change is a `draft` (never
 * evicted or expired without asking); server copies are `clinical` or `reference`.
 *
 * Within a tab, writes that read the outbox first (queueing a change, applying server data) run
 * one at a time, so a change queued while a page is being applied is never overwritten by it.
 */
import type { Resource } from '@medplum/fhirtypes';
import { classForResourceType, type DamagedRecord, type RecordInput, type RecordRef, type RecordStore } from '@/lib/offline';
import { versionKey } from './content-hash';
import type { Cursor } from './delta';
import type { OutboxEntry } from './outbox';

/** Cache writes that accompany an outbox change, in the same transaction. */
export interface CacheChange {
  /** Server copies. */
  put?: readonly Resource[];
  /** Local copies carrying unsent changes (kept as drafts). */
  putLocal?: readonly Resource[];
  remove?: readonly RecordRef[];
}

/** A page of server data for one type. */
export interface ServerChanges {
  resourceType: string;
  upserts: readonly Resource[];
  deletes: readonly string[];
  /**
   * Copies the server confirmed unchanged (a whole refetch): stored again so their stored-at time
   * says when they were last known current, and so one lost from the cache comes back.
   */
  confirmed?: readonly Resource[];
}

/** The storage port of the sync core. */
export interface SyncStore {
  loadOutbox(): Promise<OutboxEntry[]>;
  /**
   * Reads the outbox, lets `change` decide, and writes its entries (synced ones are deleted)
   * and cache changes in one transaction, exclusive with this tab's other outbox-reading writes.
   * Entries new to the outbox are stamped with the partition's next sequence numbers (outbox.ts
   * `seq`), in the order given, and the counter is stored in the same transaction.
   */
  updateOutbox<T>(change: (outbox: OutboxEntry[]) => { entries: readonly OutboxEntry[]; cache?: CacheChange; result: T }): Promise<T>;
  loadCursor(key: string): Promise<Cursor | undefined>;
  /** Device time a cached record of `resourceType` last failed to decrypt and was dropped (lib/offline), if ever. */
  droppedAt(resourceType: string): Promise<number | undefined>;
  /**
   * Stores server changes and the cursor in one transaction, skipping every resource with an
   * unsettled outbox entry (read inside the same exclusive section).
   */
  applyServerChanges(changes: ServerChanges, cursor: { key: string; value: Cursor }): Promise<{ upserts: number; deletes: number; skipped: number; confirmed: number }>;
  /**
   * The cached copy to base an edit on, including one past its retention (an edit made on an
   * old copy is still safe: If-Match or the versionless precheck catches a newer server copy).
   */
  readResource<T extends Resource = Resource>(type: string, id: string): Promise<T | undefined>;
  /**
   * The cached copy with when it was stored and whether it is past its class's retention (an
   * expired copy may be shown only as an old copy, never as current: read-current.ts).
   */
  readCached<T extends Resource = Resource>(type: string, id: string): Promise<{ resource: T; storedAt: number; expired: boolean } | undefined>;
  /** Unsent work kept on the device that can no longer be decrypted (lib/offline damaged rows), described from clear metadata. */
  damaged(): Promise<DamagedChange[]>;
  /** Deletes one damaged entry or draft the person chose to discard; false if there is none with that key. */
  discardDamaged(key: string): Promise<boolean>;
}

/**
 * A queued change or local draft that can no longer be decrypted (issue 12: never deleted
 * silently). Only what clear metadata says: which named change it was and on which resource
 * type (outbox rows carry `mutation:Type` as their clear version), never an id or a value.
 */
export interface DamagedChange {
  key: string;
  kind: 'change' | 'draft';
  mutation?: string;
  resourceType?: string;
  storedAt: number;
}

/** The clear hint stored with an outbox row: what the change is, without ids or values. */
export function outboxHint(e: Pick<OutboxEntry, 'mutation' | 'op' | 'resourceType'>): string {
  return `${e.mutation ?? e.op}:${e.resourceType}`;
}

function damagedChange(record: DamagedRecord): DamagedChange {
  if (record.type !== OUTBOX_TYPE) return { key: record.key, kind: 'draft', resourceType: record.type, storedAt: record.storedAt };
  const hint = /^([A-Za-z]{1,64}):([A-Z][A-Za-z]{1,63})$/.exec(record.hint ?? '');
  return { key: record.key, kind: 'change', storedAt: record.storedAt, ...(hint ? { mutation: hint[1]!, resourceType: hint[2]! } : {}) };
}

/** Record type of outbox entries in the encrypted store. */
export const OUTBOX_TYPE = 'housecall:outbox';
/** The partition's outbox sequence counter (outbox.ts `seq`): the next number to stamp. */
export const SEQ_RECORD = { type: 'housecall:outbox-seq', id: 'next' } as const;
/** Record type of download cursors in the encrypted store. */
export const CURSOR_TYPE = 'housecall:cursor';

/** Resource keys (`Type/id`) with an unsettled local change, including the local id of an unsynced create. */
export function pendingResourceKeys(outbox: readonly OutboxEntry[]): Set<string> {
  const keys = new Set<string>();
  for (const e of outbox) {
    if (e.state === 'synced') continue;
    keys.add(`${e.resourceType}/${e.resourceId}`);
  }
  return keys;
}

/** Server changes minus those to resources with unsettled local changes (dexie-cloud's filterServerChangesThroughAddedClientChanges). */
export function filterThroughPending(changes: ServerChanges, outbox: readonly OutboxEntry[]): { kept: ServerChanges; skipped: number } {
  const pending = pendingResourceKeys(outbox);
  const isPending = (id: string) => pending.has(`${changes.resourceType}/${id}`);
  const upserts = changes.upserts.filter((r) => !isPending(r.id ?? ''));
  const deletes = changes.deletes.filter((id) => !isPending(id));
  // A confirmed copy of a resource with a local change is not a change: nothing to count, nothing to store.
  const confirmed = (changes.confirmed ?? []).filter((r) => !isPending(r.id ?? ''));
  return { kept: { ...changes, upserts, deletes, confirmed }, skipped: changes.upserts.length - upserts.length + changes.deletes.length - deletes.length };
}

/**
 * A server copy as a record: its version is `meta.versionId`, or the content hash for a server
 * that sends none, so the row's authenticated identity names the exact copy (lib/offline).
 */
async function serverRecord(resource: Resource): Promise<RecordInput> {
  return { cls: classForResourceType(resource.resourceType), type: resource.resourceType, id: resource.id ?? '', version: await versionKey(resource), value: resource };
}

/** The SyncStore on lib/offline's encrypted record store. */
export function createSyncStore(store: RecordStore): SyncStore {
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const loadOutbox = async (): Promise<OutboxEntry[]> => (await store.list<OutboxEntry>({ type: OUTBOX_TYPE })).map((r) => r.value);

  return {
    loadOutbox,
    updateOutbox(change) {
      return exclusive(async () => {
        const outbox = await loadOutbox();
        const decided = change(outbox);
        const put: RecordInput[] = [];
        const remove: RecordRef[] = [...(decided.cache?.remove ?? [])];
        // New entries take the partition's next sequence numbers, in the order given; the counter
        // is stored in the same commit, so it never goes back even when the outbox empties.
        const known = new Set(outbox.map((e) => e.id));
        let next = Math.max((await store.get<{ next: number }>(SEQ_RECORD.type, SEQ_RECORD.id).catch(() => undefined))?.value.next ?? 0, ...outbox.map((e) => (e.seq ?? -1) + 1));
        const counterBefore = next;
        for (const e of decided.entries) {
          if (e.state === 'synced') remove.push({ type: OUTBOX_TYPE, id: e.id });
          else put.push({ cls: 'operational', type: OUTBOX_TYPE, id: e.id, version: outboxHint(e), value: e.seq === undefined && !known.has(e.id) ? { ...e, seq: next++ } : e });
        }
        if (next !== counterBefore) put.push({ cls: 'operational', ...SEQ_RECORD, value: { next } });
        for (const r of decided.cache?.put ?? []) put.push(await serverRecord(r));
        for (const r of decided.cache?.putLocal ?? []) put.push({ ...(await serverRecord(r)), cls: 'drafts' });
        await store.write({ put, remove });
        return decided.result;
      });
    },
    async loadCursor(key) {
      return (await store.get<Cursor>(CURSOR_TYPE, key))?.value;
    },
    droppedAt: (resourceType) => store.droppedAt(resourceType),
    applyServerChanges(changes, cursor) {
      return exclusive(async () => {
        const { kept, skipped } = filterThroughPending(changes, await loadOutbox());
        const copies = await Promise.all([...kept.upserts, ...(kept.confirmed ?? [])].map(serverRecord));
        await store.write({
          put: [...copies, { cls: 'operational', type: CURSOR_TYPE, id: cursor.key, value: cursor.value }],
          remove: kept.deletes.map((id) => ({ type: changes.resourceType, id })),
        });
        return { upserts: kept.upserts.length, deletes: kept.deletes.length, skipped, confirmed: kept.confirmed?.length ?? 0 };
      });
    },
    async readResource<T extends Resource>(type: string, id: string) {
      return (await store.get<T>(type, id, { expired: 'mark' }))?.value;
    },
    async readCached<T extends Resource>(type: string, id: string) {
      const record = await store.get<T>(type, id, { expired: 'mark' });
      return record ? { resource: record.value, storedAt: record.storedAt, expired: record.expired } : undefined;
    },
    async damaged() {
      return (await store.damaged()).map(damagedChange);
    },
    discardDamaged(key) {
      return exclusive(() => store.discardDamaged(key));
    },
  };
}
