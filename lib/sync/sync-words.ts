/**
 * The sync indicator's one sentence, from its state (sync-state.ts) and the outbox summary. The
 * most actionable fact wins: something stopped, then changes needing review, then failures,
 * then progress, then connectivity. Kept apart from the state machine so that pages load it
 * with the offline runtime (components/sync/offline-runtime.ts), not with their first screen.
 */
import type { OutboxSummary, SyncState } from './sync-state';

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

