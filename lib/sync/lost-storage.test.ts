import { describe, expect, it } from 'vitest';
import { eventForRound } from './coordinator';
import { refuseWhenStorageLost, trackUnsent, withLostStorageCheck } from './lost-storage';
import type { OutboxEntry } from './outbox';
import type { SyncRoundResult } from './run-sync';
import { next, INITIAL_SYNC_STATE } from './sync-state';
import { describe as sentence } from './sync-words';
import { OfflineStoreError } from '../offline/errors';
import type { SyncStore } from './sync-store';

const NOW = 1_000_000;
const entry = (id: string, state: OutboxEntry['state']): OutboxEntry => ({
  id, op: 'update', resourceType: 'Patient', resourceId: 'p', payload: { resourceType: 'Patient', id: 'p' }, idempotencyKey: `k-${id}`,
  attempts: 0, nextAttemptAt: NOW, state, createdAt: NOW,
});

/**
 * A SyncStore over an in-memory outbox that the "browser" can empty, with the real store's
 * semantics (sync-store.ts): `entries` are the entries written, each put by id, and a synced
 * entry is removed; the rest of the outbox stays as it was.
 */
function memoryStore() {
  let outbox: OutboxEntry[] = [];
  let marker = 1;
  const write = (entries: readonly OutboxEntry[]) => {
    const byId = new Map(outbox.map((e) => [e.id, e]));
    for (const e of entries) {
      if (e.state === 'synced') byId.delete(e.id);
      else byId.set(e.id, e);
    }
    outbox = [...byId.values()];
  };
  const store = {
    async loadOutbox() { return outbox; },
    async updateOutbox(change: (o: OutboxEntry[]) => { entries: readonly OutboxEntry[]; result: unknown }) {
      const d = change(outbox);
      write(d.entries);
      return d.result;
    },
  } as unknown as SyncStore;
  const opened = marker;
  return {
    store,
    records: { isIntact: async () => marker === opened },
    /** Another tab settles entries in the same store. */
    elsewhere: write,
    clear: () => { outbox = []; marker += 1; },
  };
}

const okRound = async (): Promise<SyncRoundResult> => ({ outcome: 'ok', at: NOW, recovered: 0, downloads: [] });

describe('a store the browser emptied under the tab', () => {
  it('with changes waiting, stops syncing and says how many were lost instead of “All changes saved”', async () => {
    const mem = memoryStore();
    const { store, unsent } = trackUnsent(mem.store, mem.records);
    await store.updateOutbox(() => ({ entries: [entry('a', 'pending'), entry('b', 'failed')], result: null }));
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
    const { store, unsent } = trackUnsent(mem.store, mem.records);
    await store.updateOutbox(() => ({ entries: [entry('a', 'synced')], result: null }));
    expect(unsent()).toBe(0);
    const checks: string[] = [];
    const round = withLostStorageCheck({ isIntact: async () => (checks.push('asked'), false) }, unsent, () => NOW, okRound);
    expect((await round()).outcome).toBe('ok');
    expect(checks).toEqual([]);
    await store.updateOutbox(() => ({ entries: [entry('b', 'needs-review')], result: null }));
    const unsure = withLostStorageCheck({ isIntact: async () => { throw new Error('storage did not answer'); } }, unsent, () => NOW, okRound);
    expect((await unsure()).outcome).toBe('ok');
  });

  it('checks again after a round that threw: storage cleared under the round is told as lost, not as an error', async () => {
    const mem = memoryStore();
    const { store, unsent } = trackUnsent(mem.store, mem.records);
    await store.updateOutbox(() => ({ entries: [entry('a', 'pending')], result: null }));
    // The first check cannot say (the connection is being reopened); the round then fails on the closed store.
    const answers: (() => Promise<boolean>)[] = [async () => { throw new Error('DatabaseClosedError'); }, async () => false];
    const round = withLostStorageCheck({ isIntact: () => answers.shift()!() }, unsent, () => NOW, async () => { throw new Error('DatabaseClosedError'); });
    expect(await round()).toMatchObject({ outcome: 'stopped', storageLost: 1 });
    // A store still intact after the failure: the error is the round's own.
    const failing = withLostStorageCheck({ isIntact: async () => true }, unsent, () => NOW, async () => { throw new OfflineStoreError('quota-exceeded'); });
    await expect(failing()).rejects.toBeInstanceOf(OfflineStoreError);
  });

  it('counts what it last read, too', async () => {
    const mem = memoryStore();
    await mem.store.updateOutbox(() => ({ entries: [entry('a', 'pending'), entry('b', 'pending'), entry('c', 'synced')], result: null }));
    const { store, unsent } = trackUnsent(mem.store, mem.records);
    expect(unsent()).toBe(0);
    await store.loadOutbox();
    expect(unsent()).toBe(2);
    // Reading the store after the browser emptied it does not forget the changes that were waiting.
    mem.clear();
    await store.loadOutbox();
    expect(unsent()).toBe(2);
  });

  it('counts every change waiting when each is written on its own, as the outbox writes them', async () => {
    const mem = memoryStore();
    const { store, unsent } = trackUnsent(mem.store, mem.records);
    // Two changes queued one at a time, then a third sent: two are still waiting.
    await store.updateOutbox(() => ({ entries: [entry('a', 'pending')], result: null }));
    await store.updateOutbox(() => ({ entries: [entry('b', 'pending')], result: null }));
    await store.updateOutbox(() => ({ entries: [entry('c', 'pending')], result: null }));
    await store.updateOutbox(() => ({ entries: [entry('c', 'synced')], result: null }));
    expect(unsent()).toBe(2);
    mem.clear();
    const round = withLostStorageCheck(mem.records, unsent, () => NOW, okRound);
    expect(await round()).toMatchObject({ outcome: 'stopped', storageLost: 2 });
  });

  it('forgets a change another tab settled once the store it reads is still the one this tab opened', async () => {
    const mem = memoryStore();
    const { store, unsent } = trackUnsent(mem.store, mem.records);
    await store.updateOutbox(() => ({ entries: [entry('a', 'pending'), entry('b', 'pending')], result: null }));
    mem.elsewhere([entry('a', 'synced')]);
    // A write of its own does not see what the other tab did...
    await store.updateOutbox(() => ({ entries: [entry('b', 'failed')], result: null }));
    expect(unsent()).toBe(2);
    // ...a read of the intact store does.
    await store.loadOutbox();
    expect(unsent()).toBe(1);
    mem.elsewhere([entry('b', 'synced')]);
    await store.loadOutbox();
    expect(unsent()).toBe(0);
  });
});

describe('a change made after the browser cleared the store', () => {
  it('is refused with its own code while sync is stopped for lost storage, and allowed otherwise', () => {
    const lost = next(INITIAL_SYNC_STATE, { type: 'stop', reason: 'storage-lost', lost: 1 });
    expect(() => refuseWhenStorageLost(lost)).toThrow(OfflineStoreError);
    try {
      refuseWhenStorageLost(lost);
    } catch (error) {
      expect((error as OfflineStoreError).code).toBe('storage-lost');
    }
    for (const state of [INITIAL_SYNC_STATE, next(INITIAL_SYNC_STATE, { type: 'network-lost', at: NOW }), next(INITIAL_SYNC_STATE, { type: 'stop', reason: 'launch-ended' })]) {
      expect(() => refuseWhenStorageLost(state)).not.toThrow();
    }
  });
});

describe('the count the tab hands to the tally beside the store (unsent-tally.ts)', () => {
  it('hears the unsent count after each committed write and each read', async () => {
    const mem = memoryStore();
    const heard: number[] = [];
    const { store } = trackUnsent(mem.store, mem.records, (n) => heard.push(n));
    await store.updateOutbox(() => ({ entries: [entry('a', 'pending'), entry('b', 'needs-review')], result: null }));
    await store.updateOutbox(() => ({ entries: [{ ...entry('a', 'synced') }], result: null }));
    await store.loadOutbox();
    expect(heard).toEqual([2, 1, 1]);
    // Emptied under the tab: the read forgets nothing, so the tally keeps counting what was lost.
    mem.clear();
    await store.loadOutbox();
    expect(heard.at(-1)).toBe(1);
  });
});
