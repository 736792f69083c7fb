/**
 * The sync indicator's state (STYLE rule 12): a closed union and a pure `next(state, event)`.
 * Events are facts reported by the coordinator, the browser (online/offline) and the launch;
 * an event that does not apply leaves the state as it is (same object, so subscribers can skip
 * re-rendering). `stopped` is sticky: only a new launch leaves it.
 *
 * The sentence the indicator shows for a state is sync-words.ts `describe()`: a module of its
 * own, loaded with the offline runtime, since before that the indicator says only that the
 * saved changes are being opened.
 */
/**
 * Why the indicator waits: the EHR asked to slow down or is not answering; or the last round
 * could not finish on this device (`storage-full`: the device has no room left, even after
 * eviction; `storage`: the browser's storage failed otherwise or did not answer; `error`:
 * anything else), and is tried again.
 */
export type WaitReason = 'rate-limited' | 'server-unavailable' | 'storage-full' | 'storage' | 'error';
/** Why syncing stopped for good (until a relaunch). */
export type StopReason = 'launch-ended' | 'wiped' | 'storage-lost';

/** The indicator's closed set of states (STYLE rule 12). */
export type SyncState =
  | { kind: 'idle'; lastSyncedAt?: number }
  /** `elsewhere`: another tab holds the sync lock and this one follows. */
  | { kind: 'syncing'; startedAt: number; elsewhere: boolean; lastSyncedAt?: number }
  | { kind: 'waiting'; retryAt: number; reason: WaitReason; lastSyncedAt?: number }
  | { kind: 'offline'; since: number; lastSyncedAt?: number }
  /** `wipe`: why the device's copy was erased and how many unsent changes went with it (issue 5). */
  | { kind: 'stopped'; reason: StopReason; lastSyncedAt?: number; wipe?: WipeDetail; lost?: number };

/** Why a wipe happened and what it discarded (consent-sync.ts WipeReport, kept here to stay pure). */
export interface WipeDetail {
  reason: 'consent' | 'launch-withdrawn';
  discarded: number;
  /** Unsent changes the server keeps for the person's next launch (lib/sync held-changes.ts). */
  kept?: number;
}

/** Facts that move the state. */
export type SyncEvent =
  | { type: 'start'; at: number; elsewhere?: boolean }
  | { type: 'succeed'; at: number }
  | { type: 'retry-later'; at: number; retryAt: number; reason: WaitReason }
  | { type: 'network-lost'; at: number }
  | { type: 'network-back'; at: number }
  /** `lost`: with `storage-lost`, how many unsent changes the browser's clearing took. */
  | { type: 'stop'; reason: StopReason; wipe?: WipeDetail; lost?: number }
  | { type: 'relaunched'; at: number };

/** Before the first round. */
export const INITIAL_SYNC_STATE: SyncState = { kind: 'idle' };

function last(state: SyncState): { lastSyncedAt?: number } {
  return state.lastSyncedAt === undefined ? {} : { lastSyncedAt: state.lastSyncedAt };
}

/** The state after `event`. Total: never throws; inapplicable events return `state` itself. */
export function next(state: SyncState, event: SyncEvent): SyncState {
  if (event.type === 'stop') {
    if (state.kind === 'stopped' && state.reason === event.reason && (state.wipe !== undefined || event.wipe === undefined)) return state;
    return { kind: 'stopped', reason: event.reason, ...last(state), ...(event.wipe ? { wipe: event.wipe } : {}), ...(event.lost ? { lost: event.lost } : {}) };
  }
  if (state.kind === 'stopped') return event.type === 'relaunched' ? { kind: 'idle', ...last(state) } : state;
  switch (event.type) {
    case 'start':
      if (state.kind === 'syncing' && state.elsewhere === (event.elsewhere ?? false)) return state;
      return { kind: 'syncing', startedAt: event.at, elsewhere: event.elsewhere ?? false, ...last(state) };
    case 'succeed':
      return { kind: 'idle', lastSyncedAt: event.at };
    case 'retry-later':
      return { kind: 'waiting', retryAt: event.retryAt, reason: event.reason, ...last(state) };
    case 'network-lost':
      return state.kind === 'offline' ? state : { kind: 'offline', since: event.at, ...last(state) };
    case 'network-back':
      return state.kind === 'offline' ? { kind: 'idle', ...last(state) } : state;
    case 'relaunched':
      return state;
  }
}

/** Counts from the outbox that the indicator needs (see outbox.ts `summarize`). */
export interface OutboxSummary {
  /** Pending or in flight: will be sent without the user doing anything. */
  waiting: number;
  needsReview: number;
  failed: number;
  /**
   * The outbox could not be read (the storage timed out or its connection was lost): the counts
   * above are the last ones known, and the indicator must not claim anything is saved.
   */
  unreadable?: boolean;
  /** Entries kept on the device that can no longer be decrypted (lib/offline damaged rows); only the person can discard them. */
  damaged?: number;
}

/** Sync stopped because the browser cleared Housecall's store under the page (lost-storage.ts): nothing more can be kept here until a reload. */
export function isStorageLost(state: SyncState): boolean {
  return state.kind === 'stopped' && state.reason === 'storage-lost';
}
