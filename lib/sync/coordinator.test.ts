import { describe, expect, it } from 'vitest';
import { createChannelHub } from '@/lib/offline';
import { attachBrowserTriggers, createCoordinator, type LocksLike, type Timers } from './coordinator';
import type { SyncRoundResult } from './run-sync';
import { describe as describeState } from './sync-words';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** navigator.locks for one origin: exclusive, `ifAvailable` answers null when taken. */
function createLocks(): LocksLike {
  const held = new Set<string>();
  return {
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        throw new Error('waiting is not modelled');
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

const ok = (at: number): SyncRoundResult => ({ outcome: 'ok', at, recovered: 0, downloads: [] });
const flush = () => new Promise((r) => setTimeout(r, 5));

/** A round the test finishes by hand, counting how many run at once across tabs. */
function manualRounds(shared: { running: number; max: number }) {
  const pending: ((r: SyncRoundResult) => void)[] = [];
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: () => {
      calls += 1;
      shared.running += 1;
      shared.max = Math.max(shared.max, shared.running);
      const d = deferred<SyncRoundResult>();
      pending.push(d.resolve);
      return d.promise.finally(() => (shared.running -= 1));
    },
    finish(result: SyncRoundResult) {
      pending.shift()?.(result);
    },
  };
}

describe('within a tab', () => {
  it('runs one round at a time and coalesces triggers during it into one more round', async () => {
    const shared = { running: 0, max: 0 };
    const rounds = manualRounds(shared);
    const c = createCoordinator({ name: 'p1', runRound: rounds.run, now: () => 100 });
    const first = c.trigger('launch');
    const second = c.trigger('focus');
    void c.trigger('timer');
    expect(second).toBe(first);
    expect(c.state()).toMatchObject({ kind: 'syncing', elsewhere: false });
    rounds.finish(ok(1));
    await flush();
    rounds.finish(ok(2));
    expect(await first).toMatchObject({ outcome: 'ok', at: 2 });
    expect(rounds.calls).toBe(2);
    expect(shared.max).toBe(1);
    expect(c.state()).toEqual({ kind: 'idle', lastSyncedAt: 2 });
  });

  it('stops on launch-ended and refuses to run until relaunched', async () => {
    let calls = 0;
    const c = createCoordinator({ name: 'p1', now: () => 5, runRound: async () => (calls++ === 0 ? { outcome: 'stopped', at: 5, recovered: 0, downloads: [], stopped: { code: 'launch-ended', status: 401 } } : ok(6)) });
    await c.trigger('launch');
    expect(c.state()).toEqual({ kind: 'stopped', reason: 'launch-ended' });
    expect(await c.trigger('focus')).toBe('stopped');
    expect(calls).toBe(1);
    c.relaunched();
    await c.trigger('launch');
    expect(c.state()).toEqual({ kind: 'idle', lastSyncedAt: 6 });
  });

  it('goes offline and back, showing what was last seen, and syncs on reconnect', async () => {
    let calls = 0;
    const c = createCoordinator({ name: 'p1', now: () => Date.parse('2031-01-01T10:42:00Z'), runRound: async () => (calls++, ok(Date.parse('2031-01-01T10:42:00Z'))) });
    await c.trigger('launch');
    c.networkChanged(false);
    expect(describeState(c.state(), { waiting: 0, needsReview: 0, failed: 0 }, { formatTime: (ms) => new Date(ms).toISOString().slice(11, 16) })).toBe('Offline — showing what you saw at 10:42');
    const target = new EventTarget();
    const detach = attachBrowserTriggers(c, target);
    target.dispatchEvent(new Event('online'));
    await flush();
    expect(calls).toBe(2);
    expect(c.state().kind).toBe('idle');
    detach();
    target.dispatchEvent(new Event('focus'));
    await flush();
    expect(calls).toBe(2);
  });

  it('a reconnect while a round is failing offline starts another round as soon as it ends, not at the timer', async () => {
    // A reply is sent offline: its round's requests fail, and the connection returns before the
    // round has finished (its storage work is slow on a busy phone). The reconnect must not be
    // lost in the round that was already failing.
    const shared = { running: 0, max: 0 };
    const rounds = manualRounds(shared);
    const scheduled: { ms: number }[] = [];
    const timers: Timers = { set: (_cb, ms) => scheduled.push({ ms }), clear: () => {} };
    const c = createCoordinator({ name: 'p1', runRound: rounds.run, now: () => 100, timers });
    c.networkChanged(false);
    const sent = c.trigger('requested');
    c.networkChanged(true);
    rounds.finish({ outcome: 'offline', at: 100, recovered: 0, downloads: [] });
    await flush();
    expect(rounds.calls).toBe(2);
    expect(scheduled).toEqual([]);
    rounds.finish(ok(200));
    expect(await sent).toMatchObject({ outcome: 'ok', at: 200 });
    expect(c.state()).toEqual({ kind: 'idle', lastSyncedAt: 200 });
    expect(shared.max).toBe(1);
  });

  it('a trigger during a round that ends offline, with no reconnect, waits for the next trigger (no loop while offline)', async () => {
    const rounds = manualRounds({ running: 0, max: 0 });
    const c = createCoordinator({ name: 'p1', runRound: rounds.run, now: () => 100 });
    c.networkChanged(false);
    const first = c.trigger('requested');
    void c.trigger('requested');
    rounds.finish({ outcome: 'offline', at: 100, recovered: 0, downloads: [] });
    expect(await first).toMatchObject({ outcome: 'offline' });
    expect(rounds.calls).toBe(1);
    expect(c.state()).toMatchObject({ kind: 'offline' });
  });

  it('tells the round that follows a reconnect so, once', async () => {
    const seen: (boolean | undefined)[] = [];
    const c = createCoordinator({ name: 'p1', now: () => 100, runRound: async (context) => (seen.push(context?.reconnected), ok(100)) });
    await c.trigger('launch');
    c.networkChanged(false);
    c.networkChanged(true);
    await flush();
    await c.trigger('focus');
    expect(seen).toEqual([false, true, false]);
  });

  it('schedules the next round at the earliest retry time (timer trigger, no Background Sync)', async () => {
    const scheduled: { cb: () => void; ms: number }[] = [];
    const timers: Timers = { set: (cb, ms) => scheduled.push({ cb, ms }), clear: () => {} };
    let calls = 0;
    const c = createCoordinator({
      name: 'p1', now: () => 1_000, timers, intervalMs: 60_000,
      runRound: async () => (++calls === 1 ? { outcome: 'retry', at: 1_000, recovered: 0, downloads: [], retryAt: 31_000 } : ok(2_000)),
    });
    await c.start();
    expect(c.state()).toMatchObject({ kind: 'waiting', retryAt: 31_000 });
    expect(scheduled.at(-1)?.ms).toBe(30_000);
    scheduled.at(-1)!.cb();
    await flush();
    expect(calls).toBe(2);
    expect(scheduled.at(-1)?.ms).toBe(60_000);
    c.dispose();
  });
});

describe('a connection that drops without the browser noticing', () => {
  const unreached = (at: number): SyncRoundResult => ({ outcome: 'offline', at, recovered: 0, downloads: [] });

  it('tries again after 5, 10, 20 and 40 s while the browser says it is online, then at the periodic timer, and starts over after a round that got through', async () => {
    const scheduled: { cb: () => void; ms: number }[] = [];
    const timers: Timers = { set: (cb, ms) => scheduled.push({ cb, ms }), clear: () => {} };
    const outcomes = [unreached, unreached, unreached, unreached, unreached, unreached, ok, unreached];
    let calls = 0;
    const c = createCoordinator({ name: 'p1', now: () => 1_000, timers, intervalMs: 60_000, isOnline: () => true, runRound: async () => outcomes[calls++]!(1_000) });
    await c.start();
    for (let i = 1; i < outcomes.length; i++) {
      scheduled.at(-1)!.cb();
      await flush();
    }
    expect(calls).toBe(outcomes.length);
    // The first entry is start()'s periodic timer; then one per round.
    expect(scheduled.map((s) => s.ms)).toEqual([60_000, 5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000, 5_000]);
    c.dispose();
  });

  it('leaves it to the timer and the online event while the browser says it is offline', async () => {
    const scheduled: number[] = [];
    const timers: Timers = { set: (_cb, ms) => scheduled.push(ms), clear: () => {} };
    let online = false;
    const c = createCoordinator({ name: 'p1', now: () => 1_000, timers, intervalMs: 60_000, isOnline: () => online, runRound: async () => unreached(1_000) });
    await c.trigger('requested');
    expect(scheduled).toEqual([60_000]);
    online = true;
    await c.trigger('requested');
    expect(scheduled).toEqual([60_000, 5_000]);
    c.dispose();
  });

  it('without isOnline, goes by what networkChanged last said', async () => {
    const scheduled: number[] = [];
    const timers: Timers = { set: (_cb, ms) => scheduled.push(ms), clear: () => {} };
    const c = createCoordinator({ name: 'p1', now: () => 1_000, timers, intervalMs: 60_000, runRound: async () => unreached(1_000) });
    await c.trigger('requested');
    c.networkChanged(false);
    await c.trigger('requested');
    expect(scheduled).toEqual([5_000, 60_000]);
    c.dispose();
  });
});

describe('across tabs', () => {
  it('one tab syncs; the other follows its broadcasts, then runs once after it', async () => {
    const locks = createLocks();
    const hub = createChannelHub();
    const shared = { running: 0, max: 0 };
    const roundsA = manualRounds(shared);
    const roundsB = manualRounds(shared);
    const a = createCoordinator({ name: 'p1', runRound: roundsA.run, locks, channel: hub('sync-p1'), now: () => 10 });
    const b = createCoordinator({ name: 'p1', runRound: roundsB.run, locks, channel: hub('sync-p1'), now: () => 10 });
    const ran = a.trigger('launch');
    await flush();
    expect(b.state()).toMatchObject({ kind: 'syncing', elsewhere: true }); // heard A start
    expect(await b.trigger('focus')).toBe('followed');
    expect(roundsB.calls).toBe(0);
    roundsA.finish(ok(20));
    await ran;
    await flush();
    expect(b.state()).toMatchObject({ kind: 'syncing', elsewhere: false }); // heard A finish, now runs its own
    expect(roundsB.calls).toBe(1);
    roundsB.finish(ok(30));
    await flush();
    expect(a.state()).toEqual({ kind: 'idle', lastSyncedAt: 30 });
    expect(b.state()).toEqual({ kind: 'idle', lastSyncedAt: 30 });
    expect(shared.max).toBe(1);
  });
});
