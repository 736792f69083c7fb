/**
 * One sync at a time, in a tab and across tabs (STYLE rule 15; dexie-cloud performGuardedJob).
 *
 * Model: within a tab a single-flight promise; a trigger during a round asks for one more round
 * after it (coalesced), so a change queued mid-round is not left waiting for the timer. Across
 * tabs a Web Lock (`navigator.locks.request(name, { ifAvailable: true })`): a tab that cannot
 * get it follows, showing "Syncing…" from the holder's broadcasts, and runs its own round when
 * the holder announces it has finished (its change may have missed the holder's round), or as
 * soon as the lock is released without that announcement (the holder's tab was closed mid-round):
 * a follower with work of its own queues a waiting lock request, so it never sits on "Syncing…"
 * until its timer. The lock is released when its tab closes, so the next trigger anywhere takes over;
 * the outbox was persisted before anything was sent, so nothing is lost (run-sync.ts recovers
 * entries left in flight). Triggers: launch, reconnect, focus, and a timer (the Background
 * Sync API is not available in iframes or Safari, so it is not used). A round that throws is
 * reported like any other ending (`error`: the indicator says so) and tried again in 30 s.
 * A reconnect during a round always asks for one more round, even after one that ended offline
 * (its requests may have failed just before the network came back), and that round is told so
 * (`RoundContext.reconnected`): changes backed off after offline failures are sent at once.
 * A round that could not reach the server while the browser says it is online is tried again
 * sooner than the timer (FLAKY_RETRY_MS): such a drop fires no `online` event.
 */
import { OFFLINE_ERRORS, OfflineStoreError, type ChannelLike } from '@/lib/offline';
import type { SyncRoundResult } from './run-sync';
import { INITIAL_SYNC_STATE, next, type SyncEvent, type SyncState, type WaitReason } from './sync-state';

/** Why a round was asked for. Timer rather than the Background Sync API, which iframes and Safari lack. */
export type SyncTrigger = 'launch' | 'reconnect' | 'focus' | 'timer' | 'manual' | 'requested';

/** The part of `navigator.locks` used here. The callback receives null when `ifAvailable` found the lock taken. */
export interface LocksLike {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** setTimeout/clearTimeout, injected so tests drive time. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

type Message = { type: 'sync-started'; at: number } | { type: 'sync-finished'; event: SyncEvent };

/** Everything the coordinator touches, injected (STYLE rule 10). */
export interface CoordinatorDeps {
  /** Partition id: one lock and channel per user+patient. */
  name: string;
  runRound: (context?: RoundContext) => Promise<SyncRoundResult>;
  locks?: LocksLike;
  channel?: ChannelLike;
  now: () => number;
  timers?: Timers;
  /** Periodic sync while the tab is open; default 60 s. */
  intervalMs?: number;
  /** The browser's own view of the network (`navigator.onLine`); without it, what `networkChanged` last said. */
  isOnline?: () => boolean;
}

/**
 * What the coordinator tells a round. `reconnected`: the browser said the network came back
 * since the last round started, so changes waiting on a backoff after requests that got no
 * answer (the device was offline) are due now (schedule.ts selectReady).
 */
export interface RoundContext {
  reconnected: boolean;
}

/** A finished round, `followed` (another tab holds the lock), or `stopped` (launch ended; nothing runs). */
export type TriggerResult = SyncRoundResult | 'followed' | 'stopped';

/** The sync driver a page subscribes to: triggers in, SyncState out. */
export interface Coordinator {
  trigger(reason: SyncTrigger): Promise<TriggerResult>;
  state(): SyncState;
  subscribe(listener: (state: SyncState) => void): () => void;
  /** The browser's online/offline events. */
  networkChanged(online: boolean): void;
  /** A new launch after a stop (launch ended). */
  relaunched(): void;
  /** Starts the timer and runs the launch trigger. */
  start(): Promise<TriggerResult>;
  dispose(): void;
}

/** The state event a finished round reports. */
export function eventForRound(result: SyncRoundResult): SyncEvent {
  switch (result.outcome) {
    case 'ok':
      return { type: 'succeed', at: result.at };
    case 'offline':
      return { type: 'network-lost', at: result.at };
    case 'stopped':
      if (result.wipe) return { type: 'stop', reason: 'wiped', wipe: result.wipe };
      return result.storageLost ? { type: 'stop', reason: 'storage-lost', lost: result.storageLost } : { type: 'stop', reason: 'launch-ended' };
    case 'retry':
      return { type: 'retry-later', at: result.at, retryAt: result.retryAt ?? result.at + 30_000, reason: result.waitReason ?? 'server-unavailable' };
    case 'error':
      return { type: 'retry-later', at: result.at, retryAt: result.retryAt ?? result.at + ERROR_RETRY_MS, reason: waitReasonOf(result.failure?.code) };
  }
}

/**
 * How soon a round that could not reach the server is tried again while the browser says it is
 * online (a connection that drops and comes back, as hospital Wi-Fi does, fires no `online`
 * event): 5 s, then 10, 20 and 40 s, then the periodic timer. When the browser knows it is
 * offline only the timer and the `online` event start rounds.
 */
export const FLAKY_RETRY_MS: readonly number[] = [5_000, 10_000, 20_000, 40_000];

/** How soon a round that threw is tried again (sooner than the periodic timer). */
export const ERROR_RETRY_MS = 30_000;

/** A full disk is told apart from storage that failed otherwise or did not answer: the person can free room. */
function waitReasonOf(code: string | undefined): WaitReason {
  if (code === 'quota-exceeded') return 'storage-full';
  return code !== undefined && code in OFFLINE_ERRORS ? 'storage' : 'error';
}

/**
 * A round that threw, as a result: the indicator leaves "Syncing…" and says what happened, the
 * timer is re-armed, and the trigger's promise resolves (never an unhandled rejection). Only a
 * stable code is kept, never the message (it may quote data).
 */
export function failedRound(error: unknown, at: number): SyncRoundResult {
  const code = error instanceof OfflineStoreError ? error.code : 'unexpected';
  return { outcome: 'error', at, recovered: 0, downloads: [], retryAt: at + ERROR_RETRY_MS, failure: { code } };
}

/** Creates the single-flight, cross-tab coordinator for one partition (see the module comment). */
export function createCoordinator(deps: CoordinatorDeps): Coordinator {
  const lockName = `housecall-sync-${deps.name}`;
  const listeners = new Set<(state: SyncState) => void>();
  let state: SyncState = INITIAL_SYNC_STATE;
  let running: Promise<TriggerResult> | undefined;
  let again = false;
  /** The network came back since the last round started: the next round runs with `reconnected`. */
  let reconnected = false;
  /** This tab was triggered while another held the lock: run once the holder is done. */
  let wantedWhileFollowing = false;
  /** A waiting lock request is queued: it is granted when the holder finishes or its tab closes. */
  let awaitingRelease = false;
  let timer: unknown;
  let disposed = false;
  /** What `networkChanged` last said; `deps.isOnline` takes precedence. */
  let saidOnline = true;
  /** Rounds in a row that could not reach the server while the browser said it was online. */
  let unreachedStreak = 0;
  const browserOnline = (): boolean => deps.isOnline?.() ?? saidOnline;

  const apply = (event: SyncEvent): void => {
    const after = next(state, event);
    if (after === state) return;
    state = after;
    for (const l of listeners) l(state);
  };
  const post = (message: Message): void => deps.channel?.postMessage(message);

  function schedule(result?: SyncRoundResult): void {
    if (!deps.timers || disposed) return;
    if (timer !== undefined) deps.timers.clear(timer);
    const interval = deps.intervalMs ?? 60_000;
    let due = result?.retryAt !== undefined ? Math.max(0, result.retryAt - deps.now()) : interval;
    if (result?.outcome === 'offline' && browserOnline()) {
      unreachedStreak += 1;
      due = FLAKY_RETRY_MS[unreachedStreak - 1] ?? interval;
    } else if (result) {
      unreachedStreak = 0;
    }
    timer = deps.timers.set(() => void coordinator.trigger('timer'), Math.min(due, interval));
  }

  /** Rounds while holding the lock (coalescing triggers that arrive meanwhile). */
  async function rounds(): Promise<SyncRoundResult> {
    apply({ type: 'start', at: deps.now() });
    post({ type: 'sync-started', at: deps.now() });
    let result: SyncRoundResult;
    let more: boolean;
    do {
      again = false;
      const context: RoundContext = { reconnected };
      reconnected = false;
      result = await deps.runRound(context);
      // A trigger during the round asks for one more after a round that went well. A reconnect
      // during it asks for one more whatever this round met: its requests may have failed while
      // the device was still offline, and the timer would leave the person's changes waiting.
      more = (again && result.outcome === 'ok') || (reconnected && result.outcome !== 'stopped');
    } while (more && !disposed);
    return result;
  }

  /** Runs this tab's wanted round once the holder lets go of the lock, whether or not it said so. */
  function takeOverWhenReleased(): void {
    if (!deps.locks || awaitingRelease) return;
    awaitingRelease = true;
    const released = () => {
      awaitingRelease = false;
      if (!wantedWhileFollowing || disposed) return;
      wantedWhileFollowing = false;
      void coordinator.trigger('requested');
    };
    deps.locks.request(lockName, { ifAvailable: false }, async () => undefined).then(released, () => {
      awaitingRelease = false; // no waiting requests here: the holder's broadcast or the timer still start the round
    });
  }

  async function once(): Promise<TriggerResult> {
    let result: SyncRoundResult | 'followed';
    try {
      result = deps.locks
        ? await deps.locks.request(lockName, { ifAvailable: true }, async (lock) => (lock === null || lock === undefined ? ('followed' as const) : rounds()))
        : await rounds();
    } catch (error) {
      result = failedRound(error, deps.now());
    }
    if (result === 'followed') {
      apply({ type: 'start', at: deps.now(), elsewhere: true });
      wantedWhileFollowing = true;
      takeOverWhenReleased();
      schedule();
      return result;
    }
    // Announced only after the lock is released, so a follower that reacts can take it.
    const event = eventForRound(result);
    apply(event);
    post({ type: 'sync-finished', event });
    schedule(result);
    return result;
  }

  const onMessage = (event: { data: unknown }): void => {
    const message = event.data as Message | null;
    if (message?.type === 'sync-started') apply({ type: 'start', at: message.at, elsewhere: true });
    else if (message?.type === 'sync-finished') {
      apply(message.event);
      if (wantedWhileFollowing && !disposed) {
        wantedWhileFollowing = false;
        void coordinator.trigger('requested');
      }
    }
  };
  deps.channel?.addEventListener('message', onMessage);

  const coordinator: Coordinator = {
    trigger(_reason) {
      if (state.kind === 'stopped') return Promise.resolve('stopped');
      if (running) {
        again = true;
        return running;
      }
      running = once().finally(() => {
        running = undefined;
      });
      return running;
    },
    state: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    networkChanged(online) {
      saidOnline = online;
      apply(online ? { type: 'network-back', at: deps.now() } : { type: 'network-lost', at: deps.now() });
      if (!online) return;
      // Set before the trigger: a round already running sees it when it ends and runs again.
      reconnected = true;
      void coordinator.trigger('reconnect');
    },
    relaunched() {
      apply({ type: 'relaunched', at: deps.now() });
    },
    start() {
      schedule();
      return coordinator.trigger('launch');
    },
    dispose() {
      disposed = true;
      if (timer !== undefined) deps.timers?.clear(timer);
      deps.channel?.removeEventListener('message', onMessage);
    },
  };
  return coordinator;
}

/** Wires the browser's online/offline, focus and visibility events to a coordinator. Returns an unsubscribe. */
export function attachBrowserTriggers(
  coordinator: Coordinator,
  target: { addEventListener(type: string, l: () => void): void; removeEventListener(type: string, l: () => void): void },
  isVisible: () => boolean = () => true,
): () => void {
  const online = () => coordinator.networkChanged(true);
  const offline = () => coordinator.networkChanged(false);
  const focus = () => {
    if (isVisible()) void coordinator.trigger('focus');
  };
  target.addEventListener('online', online);
  target.addEventListener('offline', offline);
  target.addEventListener('focus', focus);
  target.addEventListener('visibilitychange', focus);
  return () => {
    target.removeEventListener('online', online);
    target.removeEventListener('offline', offline);
    target.removeEventListener('focus', focus);
    target.removeEventListener('visibilitychange', focus);
  };
}
