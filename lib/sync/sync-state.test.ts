import { describe as group, expect, it } from 'vitest';
import { INITIAL_SYNC_STATE, next, type SyncEvent, type SyncState } from './sync-state';
import { describe } from './sync-words';

const AT = Date.parse('2031-01-01T10:42:00Z');
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const none = { waiting: 0, needsReview: 0, failed: 0 };

group('next(state, event)', () => {
  const cases: [string, SyncState, SyncEvent, SyncState][] = [
    ['idle starts', { kind: 'idle' }, { type: 'start', at: 1 }, { kind: 'syncing', startedAt: 1, elsewhere: false }],
    ['another tab syncing', { kind: 'idle', lastSyncedAt: 0 }, { type: 'start', at: 1, elsewhere: true }, { kind: 'syncing', startedAt: 1, elsewhere: true, lastSyncedAt: 0 }],
    ['success records the time', { kind: 'syncing', startedAt: 1, elsewhere: false }, { type: 'succeed', at: 5 }, { kind: 'idle', lastSyncedAt: 5 }],
    ['rate limited waits', { kind: 'syncing', startedAt: 1, elsewhere: false, lastSyncedAt: 0 }, { type: 'retry-later', at: 2, retryAt: 9, reason: 'rate-limited' }, { kind: 'waiting', retryAt: 9, reason: 'rate-limited', lastSyncedAt: 0 }],
    ['offline keeps last sync', { kind: 'syncing', startedAt: 1, elsewhere: false, lastSyncedAt: 0 }, { type: 'network-lost', at: 3 }, { kind: 'offline', since: 3, lastSyncedAt: 0 }],
    ['back online', { kind: 'offline', since: 3, lastSyncedAt: 0 }, { type: 'network-back', at: 4 }, { kind: 'idle', lastSyncedAt: 0 }],
    ['launch ended stops', { kind: 'syncing', startedAt: 1, elsewhere: false }, { type: 'stop', reason: 'launch-ended' }, { kind: 'stopped', reason: 'launch-ended' }],
    ['stopped ignores success', { kind: 'stopped', reason: 'launch-ended' }, { type: 'succeed', at: 5 }, { kind: 'stopped', reason: 'launch-ended' }],
    ['stopped ignores start', { kind: 'stopped', reason: 'wiped' }, { type: 'start', at: 5 }, { kind: 'stopped', reason: 'wiped' }],
    ['relaunch leaves stopped', { kind: 'stopped', reason: 'launch-ended', lastSyncedAt: 2 }, { type: 'relaunched', at: 5 }, { kind: 'idle', lastSyncedAt: 2 }],
    ['wipe stops anything', { kind: 'offline', since: 1 }, { type: 'stop', reason: 'wiped' }, { kind: 'stopped', reason: 'wiped' }],
  ];
  it.each(cases)('%s', (_name, state, event, expected) => {
    expect(next(state, event)).toEqual(expected);
  });

  it('returns the same object when nothing changes', () => {
    const offline: SyncState = { kind: 'offline', since: 1 };
    expect(next(offline, { type: 'network-lost', at: 2 })).toBe(offline);
    expect(next(INITIAL_SYNC_STATE, { type: 'network-back', at: 2 })).toBe(INITIAL_SYNC_STATE);
    const syncing: SyncState = { kind: 'syncing', startedAt: 1, elsewhere: false };
    expect(next(syncing, { type: 'start', at: 2 })).toBe(syncing);
  });
});

group('describe(state, summary)', () => {
  const t = { formatTime: hhmm };
  const cases: [SyncState, typeof none, string][] = [
    [{ kind: 'idle', lastSyncedAt: AT }, none, 'All changes saved'],
    [{ kind: 'offline', since: AT, lastSyncedAt: AT }, { ...none, waiting: 2 }, '2 changes waiting for a connection'],
    [{ kind: 'offline', since: AT, lastSyncedAt: AT }, { ...none, waiting: 1 }, '1 change waiting for a connection'],
    [{ kind: 'idle' }, { ...none, needsReview: 1 }, '1 change needs your review'],
    [{ kind: 'syncing', startedAt: AT, elsewhere: false }, { ...none, needsReview: 3, waiting: 1 }, '3 changes need your review'],
    [{ kind: 'syncing', startedAt: AT, elsewhere: true }, { ...none, waiting: 4 }, 'Syncing…'],
    [{ kind: 'offline', since: AT, lastSyncedAt: AT }, none, 'Offline — showing what you saw at 10:42'],
    [{ kind: 'offline', since: AT }, none, 'Offline'],
    [{ kind: 'idle' }, { ...none, failed: 1 }, '1 change could not be saved'],
    [{ kind: 'waiting', retryAt: AT, reason: 'rate-limited' }, { ...none, waiting: 2 }, '2 changes waiting — trying again at 10:42'],
    [{ kind: 'waiting', retryAt: AT, reason: 'storage-full' }, none, 'This device has no room left for Housecall’s offline copy — trying again at 10:42'],
    [{ kind: 'idle' }, { ...none, waiting: 2 }, '2 changes not yet saved'],
    [{ kind: 'stopped', reason: 'launch-ended' }, { ...none, waiting: 2 }, 'Session ended — relaunch from your EHR to send 2 changes'],
    [{ kind: 'stopped', reason: 'launch-ended' }, { ...none, needsReview: 1 }, 'Session ended — relaunch Housecall from your EHR'],
    [{ kind: 'stopped', reason: 'wiped' }, none, 'Housecall’s data on this device was deleted'],
  ];
  it.each(cases)('%j with %j → %s', (state, summary, text) => {
    expect(describe(state, summary, t)).toBe(text);
  });
  it('tells a patient to come back through their portal, not an EHR they never see', () => {
    const ended = { kind: 'stopped', reason: 'launch-ended' } as const;
    expect(describe(ended, { ...none, waiting: 1 }, { ...t, relaunchFrom: 'portal' })).toBe('Session ended — open Housecall again from your patient portal to send 1 change');
    expect(describe(ended, none, { ...t, relaunchFrom: 'portal' })).toBe('Session ended — open Housecall again from your patient portal');
  });
});
