import { describe, expect, it } from 'vitest';
import { eventForRound } from './coordinator';
import { trackUnsent, withLostStorageCheck } from './lost-storage';
import type { OutboxEntry } from './outbox';
import type { SyncRoundResult } from './run-sync';
import { describe as sentence, next, INITIAL_SYNC_STATE } from './sync-state';
import type { SyncStore } from './sync-store';

const NOW = 1_000_000;
const entry = (id: string, state: OutboxEntry['state']): OutboxEntry => ({
  id, op: 'update', resourceType: 'Patient', resourceId: 'p', payload: { resourceType: 'Patient', id: 'p' }, idempotencyKey: `k-${id}`,
  attempts: 0, nextAttemptAt: NOW, state, createdAt: NOW,
});

/** A SyncStore over an in-memory outbox that the "browser" can empty. */
function memoryStore() {
  let outbox: OutboxEntry[] = [];
  const store = {
    async loadOutbox() { return outbox; },
    async updateOutbox(change: (o: OutboxEntry[]) => { entries: readonly OutboxEntry[]; result: unknown }) {
      const d = change(outbox);
      outbox = d.entries.filter((e) => e.state !== 'synced');
      return d.result;
    },
  } as unknown as SyncStore;
  return { store, clear: () => { outbox = []; } };
}

const okRound = async (): Promise<SyncRoundResult> => ({ outcome: 'ok', at: NOW, recovered: 0, downloads: [] });

describe('a store the browser emptied under the tab', () => {
  it('with changes waiting, stops syncing and says how many were lost instead of “All changes saved”', async () => {
    const mem = memoryStore();
    const { store, unsent } = trackUnsent(mem.store);
    await store.updateOutbox((o) => ({ entries: [...o, entry('a', 'pending'), entry('b', 'failed')], result: null }));
    expect(unsent()).toBe(2);
    mem.clear();
    let intact = false;
    let rounds = 0;
    const round = withLostStorageCheck({ isIntact: async () => intact }, unsent, () => NOW, async () => (rounds++, okRound()));
    const result = await round();
    expect(result).toMatchObject({ outcome: 'stopped', storageLost: 2 });
    expect(rounds).toBe(0);
    const state = next(INITIAL_SYNC_STATE, eventForRound(result));
    expect(state).toMatchObject({ kind: 'stopped', reason: 'storage-lost', lost: 2 });
    expect(sentence(state, { waiting: 0, needsReview: 0, failed: 0 })).toBe('This browser cleared Housecall’s storage on this device — 2 changes not yet sent were lost and did not reach your record: please make them again');
    // An intact store runs the round as usual.
    intact = true;
    expect((await round()).outcome).toBe('ok');
    expect(rounds).toBe(1);
  });

  it('with nothing waiting, or a store that cannot say, leaves it to the round', async () => {
    const mem = memoryStore();
    const { store, unsent } = trackUnsent(mem.store);
    await store.updateOutbox((o) => ({ entries: [...o, entry('a', 'synced')], result: null }));
    expect(unsent()).toBe(0);
    const checks: string[] = [];
    const round = withLostStorageCheck({ isIntact: async () => (checks.push('asked'), false) }, unsent, () => NOW, okRound);
    expect((await round()).outcome).toBe('ok');
    expect(checks).toEqual([]);
    await store.updateOutbox((o) => ({ entries: [...o, entry('b', 'needs-review')], result: null }));
    const unsure = withLostStorageCheck({ isIntact: async () => { throw new Error('storage did not answer'); } }, unsent, () => NOW, okRound);
    expect((await unsure()).outcome).toBe('ok');
  });

  it('counts what it last read, too', async () => {
    const mem = memoryStore();
    await mem.store.updateOutbox(() => ({ entries: [entry('a', 'pending'), entry('b', 'pending'), entry('c', 'synced')], result: null }));
    const { store, unsent } = trackUnsent(mem.store);
    expect(unsent()).toBe(0);
    await store.loadOutbox();
    expect(unsent()).toBe(2);
    // Reading the store after the browser emptied it does not forget the changes that were waiting.
    mem.clear();
    await store.loadOutbox();
    expect(unsent()).toBe(2);
  });
});
