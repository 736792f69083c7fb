/**
 * Noticing that the browser emptied the device's store under a running tab ("clear site data",
 * storage eviction): IndexedDB then opens again, empty, and a round would read an empty outbox
 * and report "All changes saved" for changes that never left the device. The store carries a
 * marker written when this tab opened it (lib/offline record-store.ts `isIntact`); before each
 * round, when this tab knows of unsent changes, a store whose marker is gone stops syncing with
 * how many were lost, so the person is told to make them again instead of being told they were saved.
 */
import type { RecordStore } from '@/lib/offline';
import type { OutboxEntry } from './outbox';
import type { SyncRoundResult } from './run-sync';
import type { SyncStore } from './sync-store';

const unsentIn = (entries: readonly OutboxEntry[]) => entries.filter((e) => e.state !== 'synced').length;

/**
 * `store`, counting the unsent entries it last read or wrote: what this tab knows is waiting,
 * whatever later happens to the storage under it.
 */
export function trackUnsent(store: SyncStore): { store: SyncStore; unsent: () => number } {
  let unsent = 0;
  const tracked: SyncStore = {
    ...store,
    async loadOutbox() {
      const entries = await store.loadOutbox();
      // A read only raises the count (another tab's changes): a read of a store the browser has
      // just emptied must not erase what this tab knows is waiting. Writes settle entries.
      unsent = Math.max(unsent, unsentIn(entries));
      return entries;
    },
    updateOutbox(change) {
      return store.updateOutbox((outbox) => {
        const decided = change(outbox);
        unsent = unsentIn(decided.entries);
        return decided;
      });
    },
  };
  return { store: tracked, unsent: () => unsent };
}

/**
 * A round preceded by the check above. A store that cannot say (its read failed) is left to the
 * round, which reports the storage failure itself; only a store that answers "not the one this
 * tab opened" while changes were waiting stops syncing (`storageLost`: how many).
 */
export function withLostStorageCheck<A extends unknown[]>(
  records: Pick<RecordStore, 'isIntact'>,
  unsent: () => number,
  now: () => number,
  round: (...args: A) => Promise<SyncRoundResult>,
): (...args: A) => Promise<SyncRoundResult> {
  return async (...args: A) => {
    const waiting = unsent();
    if (waiting > 0) {
      const intact = await records.isIntact().catch(() => true);
      if (!intact) return { outcome: 'stopped', at: now(), recovered: 0, downloads: [], storageLost: waiting };
    }
    return round(...args);
  };
}
