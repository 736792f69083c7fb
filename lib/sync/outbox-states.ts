/**
 * The outbox's state machine as a table (outbox.ts applies it): a module of its own, so a page
 * that only asks which actions an entry allows (the review page's buttons) loads nothing more.
 */
import type { OutboxEventType, OutboxState } from './outbox';

/** Which events each state accepts, and where they lead. */
export const TRANSITIONS: Readonly<Record<OutboxState, Partial<Record<OutboxEventType, OutboxState>>>> = {
  pending: { send: 'in-flight', hold: 'needs-review' },
  'in-flight': { synced: 'synced', retry: 'pending', fail: 'failed', conflict: 'needs-review', rebase: 'pending', interrupted: 'pending' },
  'needs-review': { rebase: 'pending', discard: 'synced' },
  failed: { requeue: 'pending', discard: 'synced' },
  synced: {},
};

/** Whether `state` accepts `event` (for enabling UI actions). */
export function canTransition(state: OutboxState, event: OutboxEventType): boolean {
  return TRANSITIONS[state][event] !== undefined;
}
