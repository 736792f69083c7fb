/**
 * Noticing that the browser emptied the device's store under a running tab ("clear site data",
 * storage eviction): IndexedDB then opens again, empty, and a round would read an empty outbox
 * and report "All changes saved" for changes that never left the device. The store carries a
 * marker written when this tab opened it (lib/offline record-store.ts `isIntact`); before each
 * round, when this tab knows of unsent changes, a store whose marker is gone stops syncing with
 * how many were lost, so the person is told to make them again instead of being told they were saved.
 */
import type { RecordStore } from '@/lib/offline';
import { OfflineStoreError } from '../offline/errors';
import type { OutboxEntry } from './outbox';
import type { SyncRoundResult } from './run-sync';
import { isStorageLost, type SyncState } from './sync-state';
import type { SyncStore } from './sync-store';

const isUnsent = (e: OutboxEntry) => e.state !== 'synced';

/**
 * `store`, keeping the ids of the unsent entries it last read or wrote: what this tab knows is
 * waiting, whatever later happens to the storage under it. The outbox writes only the entries
 * that changed (sync-store.ts: each put by id, a synced one removed), so a write adds or settles
 * those and leaves the others known. A read adds what it finds; it lets go of a known change
 * that is no longer there (another tab sent or discarded it) only when the store is still the
 * one this tab opened: a read of a store the browser has just emptied forgets nothing.
 * `onCount` hears the count after each read and each committed write (unsent-tally.ts keeps it
 * beside the store, for a clearing while no page is open).
 */
export function trackUnsent(store: SyncStore, records: Pick<RecordStore, 'isIntact'>, onCount?: (unsent: number) => void): { store: SyncStore; unsent: () => number } {
  const waiting = new Set<string>();
  const tracked: SyncStore = {
    ...store,
    async loadOutbox() {
      const entries = await store.loadOutbox();
      const found = new Set(entries.filter(isUnsent).map((e) => e.id));
      const gone = [...waiting].some((id) => !found.has(id));
      if (gone && (await records.isIntact().catch(() => false))) {
        for (const id of waiting) if (!found.has(id)) waiting.delete(id);
      }
      for (const id of found) waiting.add(id);
      onCount?.(waiting.size);
      return entries;
    },
    async updateOutbox(change) {
      const result = await store.updateOutbox((outbox) => {
        const decided = change(outbox);
        for (const e of outbox) if (isUnsent(e)) waiting.add(e.id);
        for (const e of decided.entries) {
          if (isUnsent(e)) waiting.add(e.id);
          else waiting.delete(e.id);
        }
        return decided;
      });
      onCount?.(waiting.size);
      return result;
    },
  };
  return { store: tracked, unsent: () => waiting.size };
}

/**
 * A round preceded by the check above. A store that cannot say (its read failed) is left to the
 * round, which reports the storage failure itself; only a store that answers "not the one this
 * tab opened" while changes were waiting stops syncing (`storageLost`: how many). A round that
 * throws is followed by the same check: storage cleared under a round in flight (or while the
 * connection it reads through was being reopened) is told as lost at once, not as "Sync stopped
 * on an error" until the retry a while later finds it.
 */
export function withLostStorageCheck<A extends unknown[]>(
  records: Pick<RecordStore, 'isIntact'>,
  unsent: () => number,
  now: () => number,
  round: (...args: A) => Promise<SyncRoundResult>,
): (...args: A) => Promise<SyncRoundResult> {
  return async (...args: A) => {
    const waiting = unsent();
    const lost = async () => waiting > 0 && !(await records.isIntact().catch(() => true));
    const stopped = (): SyncRoundResult => ({ outcome: 'stopped', at: now(), recovered: 0, downloads: [], storageLost: waiting });
    if (await lost()) return stopped();
    try {
      return await round(...args);
    } catch (error) {
      if (await lost()) return stopped();
      throw error;
    }
  };
}

/**
 * Refuses a change while sync is stopped because the browser cleared the store under the page
 * (above): the partition's key went with it, so a change queued now would be kept where
 * it can never be sent from. Every writer shows the error (components/sync/write-failure.ts) and
 * keeps what the person typed on screen; a reload starts a new store.
 */
export function refuseWhenStorageLost(state: SyncState): void {
  if (isStorageLost(state)) throw new OfflineStoreError('storage-lost');
}
