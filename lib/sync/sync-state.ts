/**
 * The sync indicator's state (STYLE rule 12): a closed union and a pure `next(state, event)`.
 * Events are facts reported by the coordinator, the browser (online/offline) and the launch;
 * an event that does not apply leaves the state as it is (same object, so subscribers can skip
 * re-rendering). `stopped` is sticky: only a new launch leaves it.
 *
 * `describe()` turns the state and the outbox summary into the one sentence the indicator
 * shows. The most actionable fact wins: something stopped, then changes needing review, then
 * failures, then progress, then connectivity.
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

/** Formatting hooks for describe(). */
export interface DescribeOptions {
  /** Formats a device time for "showing what you saw at …"; default local HH:MM. */
  formatTime?: (ms: number) => string;
  /** Where this person opens Housecall again: a clinician from the EHR (default), a patient from their portal. */
  relaunchFrom?: 'ehr' | 'portal';
}

function changes(n: number): string {
  return n === 1 ? '1 change' : `${n} changes`;
}

function defaultTime(ms: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** What the indicator says when a round could not finish on this device. */
const DEVICE_TROUBLE = {
  'storage-full': 'This device has no room left for Housecall’s offline copy',
  storage: 'This device’s storage did not answer',
  error: 'Sync stopped on an error',
} as const;

/** The indicator's one sentence, e.g. "All changes saved", "1 change needs your review". */
export function describe(state: SyncState, summary: OutboxSummary, options: DescribeOptions = {}): string {
  const time = options.formatTime ?? defaultTime;
  if (state.kind === 'stopped') {
    if (state.reason === 'wiped') {
      if (!state.wipe) return 'Housecall’s data on this device was deleted';
      const why = state.wipe.reason === 'consent'
        ? 'The patient no longer shares this record with you, so Housecall erased its copy on this device'
        : 'Your EHR or support ended this session, so Housecall erased its copy on this device';
      const n = state.wipe.discarded;
      const kept = state.wipe.kept ?? 0;
      // Only a lapsed session (refresh refused, access expired) has its changes kept (held-changes.ts).
      if (kept > 0) return `Your session ended, so Housecall erased its copy on this device — ${kept === 1 ? 'your unsent change is' : `your ${kept} unsent changes are`} kept and will be sent when you open Housecall again`;
      return n > 0 ? `${why} — ${changes(n)} not yet sent ${n === 1 ? 'was' : 'were'} discarded` : why;
    }
    if (state.reason === 'storage-lost') {
      const n = state.lost ?? 0;
      return n > 0
        ? `This browser cleared Housecall’s storage on this device — ${changes(n)} not yet sent ${n === 1 ? 'was' : 'were'} lost and did not reach your record: please make ${n === 1 ? 'it' : 'them'} again`
        : 'This browser cleared Housecall’s offline storage — unsent changes may be lost';
    }
    if (options.relaunchFrom === 'portal') {
      return summary.waiting > 0
        ? `Session ended — open Housecall again from your patient portal to send ${changes(summary.waiting)}`
        : 'Session ended — open Housecall again from your patient portal';
    }
    return summary.waiting > 0
      ? `Session ended — relaunch from your EHR to send ${changes(summary.waiting)}`
      : 'Session ended — relaunch Housecall from your EHR';
  }
  if (summary.unreadable) return 'This device’s storage did not answer, so Housecall cannot tell whether your changes are saved';
  if (summary.needsReview > 0) return `${changes(summary.needsReview)} ${summary.needsReview === 1 ? 'needs' : 'need'} your review`;
  if ((summary.damaged ?? 0) > 0) return `${changes(summary.damaged!)} saved on this device can no longer be read`;
  if (summary.failed > 0) return `${changes(summary.failed)} could not be saved`;
  switch (state.kind) {
    case 'syncing':
      return 'Syncing…';
    case 'offline':
      if (summary.waiting > 0) return `${changes(summary.waiting)} waiting for a connection`;
      return state.lastSyncedAt === undefined ? 'Offline' : `Offline — showing what you saw at ${time(state.lastSyncedAt)}`;
    case 'waiting':
      if (state.reason === 'storage-full' || state.reason === 'storage' || state.reason === 'error') {
        const what = DEVICE_TROUBLE[state.reason];
        return summary.waiting > 0
          ? `${what} — ${changes(summary.waiting)} not yet saved, trying again at ${time(state.retryAt)}`
          : `${what} — trying again at ${time(state.retryAt)}`;
      }
      if (summary.waiting > 0) return `${changes(summary.waiting)} waiting — trying again at ${time(state.retryAt)}`;
      return state.reason === 'rate-limited' ? `The EHR is busy — trying again at ${time(state.retryAt)}` : `The EHR is not answering — trying again at ${time(state.retryAt)}`;
    case 'idle':
      return summary.waiting > 0 ? `${changes(summary.waiting)} not yet saved` : 'All changes saved';
  }
}

/** Sync stopped because the browser cleared Housecall's store under the page (lost-storage.ts): nothing more can be kept here until a reload. */
export function isStorageLost(state: SyncState): boolean {
  return state.kind === 'stopped' && state.reason === 'storage-lost';
}
