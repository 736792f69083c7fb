/**
 * The outbox: local changes waiting to reach the EHR (DESIGN §1 Sync; STYLE rule 13).
 *
 * Model: an entry is plain serialisable data (it is persisted before anything is sent, so a
 * closed tab loses nothing) recording the operation, the version and copy it was based on, the
 * payload and an idempotency key. It moves through a closed set of states:
 *
 *   pending ──send──▶ in-flight ──synced──▶ synced
 *      ▲                 │ ├─fail──▶ failed ──requeue──▶ pending
 *      │◀──retry─────────┤ └─conflict─▶ needs-review ──rebase──▶ pending
 *      │◀──interrupted───┤                    └──discard──▶ synced (server copy kept)
 *      │◀──rebase────────┘ (automatic merge succeeded)
 *
 * `transition()` is the only way to change state; an event that does not apply in the current
 * state throws, so a bug cannot silently resend a synced entry or drop one under review.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { FieldDiff } from './diff-fields';
import { TRANSITIONS } from './outbox-states';

export { canTransition, TRANSITIONS } from './outbox-states';

/** The FHIR interaction an entry performs. */
export type OutboxOp = 'create' | 'update' | 'delete';
/** The closed set of entry states (DESIGN §1 Sync). */
export type OutboxState = 'pending' | 'in-flight' | 'synced' | 'failed' | 'needs-review';

/** Why an entry is waiting or failed, as a stable code (never free text, so it can go to metrics). */
export interface OutboxError {
  /** The OperationOutcome code from the proxy (`scope-not-granted`), or `http-409`, `network`. */
  code: string;
  status?: number;
}

/** What the review screen needs: the server copy and the differing fields. */
export interface OutboxConflict {
  /** The server's current copy; null when it was deleted there. */
  theirs: Resource | null;
  fields: FieldDiff[];
  detectedAt: number;
}

/** One queued change, plain serialisable data (STYLE rule 13; android-fhir LocalChange). */
export interface OutboxEntry {
  id: string;
  /** Name in the mutation registry (mutations.ts), for display and audit. */
  mutation?: string;
  op: OutboxOp;
  resourceType: string;
  /** Server id, or the local id of a resource created offline until its create is synced. */
  resourceId: string;
  /** For creates: the local id other entries use in references (`urn:uuid:{localId}` or `Type/{localId}`). */
  localId?: string;
  /** `meta.versionId` the change was made on; sent as `If-Match`. */
  baseVersion?: string;
  /** The copy the change was made on: the common ancestor of a three-way merge. */
  baseCopy?: Resource;
  /** The resource to send; null for a delete. */
  payload: Resource | null;
  idempotencyKey: string;
  attempts: number;
  /** Device time before which the entry is not retried. */
  nextAttemptAt: number;
  lastError?: OutboxError;
  state: OutboxState;
  /** Entries that must be synced first: an earlier change to the same resource, or the create of a resource this one references. */
  dependsOn?: string[];
  /**
   * Position in the partition's outbox: a persisted counter that only grows, stamped when the
   * entry is first stored (sync-store.ts). A record's changes are sent in this order, never in
   * device-clock order, so a clock stepped back between two edits, or two edits in one
   * millisecond, cannot put the later edit first. Absent on entries stored before it existed.
   */
  seq?: number;
  /** Device time the change was made (for ages and display; not for ordering). */
  createdAt: number;
  conflict?: OutboxConflict;
  /** Set when synced: the server id and version now holding this change. */
  result?: { id: string; version?: string; keptTheirs?: true };
}

/** Everything that can happen to an entry. */
export type OutboxEvent =
  | { type: 'send'; at: number }
  | { type: 'synced'; id: string; version?: string }
  | { type: 'retry'; nextAttemptAt: number; error: OutboxError }
  | { type: 'fail'; error: OutboxError }
  | { type: 'conflict'; conflict: OutboxConflict }
  /** Queued work the server will no longer accept as is (consent revoked): hold it for review. */
  | { type: 'hold'; conflict: OutboxConflict }
  | { type: 'rebase'; payload: Resource | null; baseCopy?: Resource; baseVersion?: string }
  | { type: 'discard'; version?: string }
  | { type: 'requeue'; at: number }
  /** The tab that was sending closed before the answer; resending is safe (conditional requests). */
  | { type: 'interrupted' };

/** The name of an OutboxEvent. */
export type OutboxEventType = OutboxEvent['type'];

/** An event its state does not accept: a bug, never a user error. */
export class OutboxTransitionError extends Error {
  readonly code = 'illegal-transition';
  constructor(
    readonly from: OutboxState,
    readonly event: OutboxEventType,
  ) {
    super(`illegal-transition: ${event} is not allowed from ${from}`);
    this.name = 'OutboxTransitionError';
  }
}


/** The entry after `event`. Pure; throws OutboxTransitionError for an event its state does not accept. */
export function transition(entry: OutboxEntry, event: OutboxEvent): OutboxEntry {
  const to = TRANSITIONS[entry.state][event.type];
  if (to === undefined) throw new OutboxTransitionError(entry.state, event.type);
  const { conflict: _c, lastError: _e, ...rest } = entry;
  switch (event.type) {
    case 'send':
      return { ...rest, ...(entry.lastError ? { lastError: entry.lastError } : {}), state: to, attempts: entry.attempts + 1 };
    case 'synced':
      return { ...rest, state: to, result: { id: event.id, ...(event.version !== undefined ? { version: event.version } : {}) } };
    case 'retry':
      return { ...rest, state: to, nextAttemptAt: event.nextAttemptAt, lastError: event.error };
    case 'fail':
      return { ...rest, state: to, lastError: event.error };
    case 'conflict':
    case 'hold':
      return { ...rest, state: to, conflict: event.conflict, lastError: event.type === 'conflict' ? { code: 'version-conflict', status: 412 } : { code: 'held' } };
    case 'rebase': {
      const { baseCopy: _b, baseVersion: _v, ...unbased } = rest;
      return {
        ...unbased,
        state: to,
        payload: event.payload,
        ...(event.baseCopy ? { baseCopy: event.baseCopy } : {}),
        ...(event.baseVersion !== undefined ? { baseVersion: event.baseVersion } : {}),
      };
    }
    case 'discard':
      return { ...rest, state: to, result: { id: entry.resourceId, ...(event.version !== undefined ? { version: event.version } : {}), keptTheirs: true } };
    case 'requeue':
      return { ...rest, state: to, attempts: 0, nextAttemptAt: event.at };
    case 'interrupted':
      return { ...rest, ...(entry.lastError ? { lastError: entry.lastError } : {}), state: to };
  }
}

// In a module of its own: the page's first code counts the outbox without the rest of this one.
export { summarize } from './outbox-summary';

/** Entries not yet settled (anything but synced), in the order they were made. */
export function unsynced(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return entries.filter((e) => e.state !== 'synced').sort(byAge);
}

/**
 * The order entries were made in: by sequence number (entries stored before sequences existed
 * come first), then, only among those, by device time; ties broken by id, so the order is total
 * and the same in every tab.
 */
export function byAge(a: OutboxEntry, b: OutboxEntry): number {
  if (a.seq !== undefined || b.seq !== undefined) {
    if (a.seq === undefined) return -1;
    if (b.seq === undefined) return 1;
    if (a.seq !== b.seq) return a.seq - b.seq;
  } else if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Unsettled entries in an order every dependency respects: an entry never comes before one it
 * waits for (`dependsOn`), and otherwise entries keep `byAge` order. Sequence numbers already
 * agree with dependencies; this makes it so even where they cannot (two tabs stamping the same
 * number at once), so a resource's head is never an entry waiting on one behind it.
 */
export function sendOrder(entries: readonly OutboxEntry[]): OutboxEntry[] {
  const open = entries.filter((e) => e.state !== 'synced').sort(byAge);
  const waitingOn = new Map(open.map((e) => [e.id, new Set((e.dependsOn ?? []).filter((d) => open.some((o) => o.id === d)))]));
  const out: OutboxEntry[] = [];
  const placed = new Set<string>();
  while (out.length < open.length) {
    const nextUp = open.find((e) => !placed.has(e.id) && [...waitingOn.get(e.id)!].every((d) => placed.has(d)))
      // A cycle cannot come from enqueue(); if stored data had one, fall back to age order rather than stall.
      ?? open.find((e) => !placed.has(e.id))!;
    placed.add(nextUp.id);
    out.push(nextUp);
  }
  return out;
}
