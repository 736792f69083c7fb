'use client';
import { browserChannelFactory, createOffline, type Offline, type PartitionOwner, type RecordStore } from '@/lib/offline';
import { createAnswerCache } from '@/lib/sync';

let runtime: Offline | undefined;

/** A store in this tab met a row it could not decrypt: a cached copy dropped (fetched again), or unsent work kept as damaged. */
export interface StoreTrouble {
  kind: 'dropped' | 'damaged';
  partition: string;
}

const troubleListeners = new Set<(trouble: StoreTrouble) => void>();

/**
 * Tells `listener` whenever a store of this tab drops a cached row or keeps a damaged one, so the
 * page can refresh what it shows and what it reports (the counts go to client metrics). Returns
 * an unsubscribe.
 */
export function onStoreTrouble(listener: (trouble: StoreTrouble) => void): () => void {
  troubleListeners.add(listener);
  return () => troubleListeners.delete(listener);
}

function report(trouble: StoreTrouble): void {
  for (const listener of troubleListeners) listener(trouble);
}

/**
 * This tab's one offline runtime. The chart's read-through cache and the sync engine share it:
 * two runtimes opening the same partition at once could each create a key and make the other's
 * rows unreadable. Memory-only where IndexedDB is refused (inside a cross-site EHR frame).
 */
export function browserOffline(): Offline {
  runtime ??= createOffline({
    ...(typeof indexedDB !== 'undefined' ? { indexedDB: { indexedDB, IDBKeyRange } } : {}),
    ...(browserChannelFactory() ? { channel: browserChannelFactory()! } : {}),
    ...(typeof navigator !== 'undefined' && 'locks' in navigator ? { locks: navigator.locks } : {}),
    onDropped: (partition) => report({ kind: 'dropped', partition }),
    onDamaged: (partition) => report({ kind: 'damaged', partition }),
  });
  return runtime;
}

/** Opens (or returns the open) encrypted store of this issuer, user and patient. */
export function openPartition(owner: PartitionOwner): Promise<RecordStore> {
  return browserOffline().open(owner);
}

/**
 * Deletes every cached answer and synced server copy of these resource types from the partition
 * (consent revoked for a type, say). Unsent changes are kept: they are the person's work.
 * Views still showing the data should revalidate (`useFhirCache().purgeTypes` does both).
 */
export async function purgeCachedResourceTypes(owner: PartitionOwner, types: readonly string[]): Promise<number> {
  return createAnswerCache(await openPartition(owner)).purgeTypes(types);
}
