import { describe, expect, it } from 'vitest';
import { createChannelHub } from '@/lib/offline';
import { createCoordinator, type LocksLike } from './coordinator';
import type { SyncRoundResult } from './run-sync';

/**
 * navigator.locks for one origin, with waiting requests: exclusive, `ifAvailable` answers null
 * when taken, otherwise requests queue and are granted in order as the holder lets go.
 * `abandon()` is a tab closing: its lock is released without its callback finishing.
 */
function createQueuedLocks() {
  let held = false;
  const queue: (() => void)[] = [];
  const release = () => {
    held = false;
    queue.shift()?.();
  };
  let abandon: (() => void) | undefined;
  const locks: LocksLike = {
    request<T>(_name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T> {
      if (held && options.ifAvailable) return callback(null);
      const granted = () =>
        new Promise<T>((resolve, reject) => {
          held = true;
          let done = false;
          const finish = () => {
            if (done) return;
            done = true;
            release();
          };
          abandon = finish;
          callback({}).then((v) => (finish(), resolve(v)), (e: unknown) => (finish(), reject(e)));
        });
      if (!held) return granted();
      return new Promise<T>((resolve, reject) => queue.push(() => void granted().then(resolve, reject)));
    },
  };
  return { locks, closeHolderTab: () => abandon?.() };
}

const ok = (at: number): SyncRoundResult => ({ outcome: 'ok', at, recovered: 0, downloads: [] });
const flush = () => new Promise((r) => setTimeout(r, 5));

/** Two tabs of one partition: the holder's round ends when the test says so; the follower's rounds are counted. */
function holderThatFinishesOnCue() {
  const hub = createChannelHub();
  const { locks } = createQueuedLocks();
  let finish: ((r: SyncRoundResult) => void) | undefined;
  let rounds = 0;
  const holder = createCoordinator({ name: 'p', locks, channel: hub('sync'), now: () => 1, runRound: () => new Promise<SyncRoundResult>((r) => (finish = r)) });
  const follower = createCoordinator({ name: 'p', locks, channel: hub('sync'), now: () => 2, runRound: async () => ((rounds += 1), ok(4)) });
  return { holder, follower, finishHolder: () => finish!, followerRounds: () => rounds };
}

describe('a follower whose holder’s tab closes mid-round (issue #5: the next tab resumes)', () => {
  it('runs its own wanted round as soon as the lock is released, without the holder announcing the end', async () => {
    const hub = createChannelHub();
    const { locks, closeHolderTab } = createQueuedLocks();
    let holderRounds = 0;
    let followerRounds = 0;
    const holder = createCoordinator({ name: 'p', locks, channel: hub('sync'), now: () => 1, runRound: () => ((holderRounds += 1), new Promise<SyncRoundResult>(() => {})) });
    const follower = createCoordinator({ name: 'p', locks, channel: hub('sync'), now: () => 2, runRound: async () => ((followerRounds += 1), ok(3)) });

    void holder.trigger('focus'); // never finishes: its tab is about to close
    await flush();
    expect(await follower.trigger('requested')).toBe('followed');
    expect(follower.state()).toMatchObject({ kind: 'syncing', elsewhere: true });
    await flush();
    expect(followerRounds).toBe(0);

    closeHolderTab();
    await flush();
    expect(followerRounds).toBe(1);
    expect(follower.state()).toMatchObject({ kind: 'idle', lastSyncedAt: 3 });
    expect(holderRounds).toBe(1);
  });

  it('runs its wanted round once when the holder finishes normally and announces it', async () => {
    const { holder, follower, finishHolder, followerRounds } = holderThatFinishesOnCue();

    const holding = holder.trigger('focus');
    await flush();
    expect(await follower.trigger('requested')).toBe('followed');
    finishHolder()(ok(3));
    await holding;
    await flush();
    await flush();
    expect(followerRounds()).toBe(1);
  });

  it('a follower that wanted nothing does not run a round when the holder finishes', async () => {
    const { holder, follower, finishHolder, followerRounds } = holderThatFinishesOnCue();

    const holding = holder.trigger('focus');
    await flush();
    expect(follower.state()).toMatchObject({ kind: 'syncing', elsewhere: true });
    finishHolder()(ok(3));
    await holding;
    await flush();
    expect(followerRounds()).toBe(0);
    expect(follower.state()).toMatchObject({ kind: 'idle', lastSyncedAt: 3 });
  });
});
