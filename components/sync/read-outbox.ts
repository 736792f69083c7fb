import { OfflineStoreError } from '@/lib/offline/errors';
import type { OutboxEntry, SyncStore } from '@/lib/sync';

/** What the indicator learns from reading the outbox. */
export type OutboxRead =
  | { kind: 'read'; entries: OutboxEntry[] }
  /** The partition was erased (a wipe): nothing of the person's is left to show. */
  | { kind: 'wiped' }
  /** The storage failed or did not answer: nothing may be claimed saved (issue 12). */
  | { kind: 'unreadable'; code: string };

/** Reads the outbox for the indicator, telling an erased store from one that could not be read. */
export async function readOutbox(store: Pick<SyncStore, 'loadOutbox'>): Promise<OutboxRead> {
  try {
    return { kind: 'read', entries: await store.loadOutbox() };
  } catch (error) {
    if (error instanceof OfflineStoreError && error.code === 'wiped') return { kind: 'wiped' };
    return { kind: 'unreadable', code: error instanceof OfflineStoreError ? error.code : 'unexpected' };
  }
}
