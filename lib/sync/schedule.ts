/**
 * When and in what order outbox entries are sent.
 *
 * - FIFO per resource: only the first unsettled entry of a resource may be sent; a later edit
 *   was made on top of it and waits (even behind one in review, which the person must settle).
 *   "First" is the partition's sequence order (outbox.ts `sendOrder`), never the device clock.
 * - Dependencies: an entry waits for every entry in `dependsOn` to be synced (a note appended to
 *   a note created offline is sent after it, with the reference rewritten by `applySynced`).
 * - Backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 *   a uniformly random delay in [0, min(cap, base·2^attempt)), so a crowd of tabs coming back
 *   online does not retry in lockstep; a server's Retry-After is a floor.
 * - Rate limits are per resource type: a 429 on Observation blocks Observation, not Patient.
 * - A backoff after sends that got no answer at all (`network`: the device was offline) ends
 *   when the browser says the network is back (`reconnected`): the person sees their change
 *   sent on reconnect, not when a backoff grown while offline runs out. A backoff the EHR asked
 *   for or caused (429, 5xx, Retry-After) is kept.
 */
import type { Resource } from '@medplum/fhirtypes';
import { sameContent } from './content-hash';
import { sendOrder, type OutboxEntry } from './outbox';
import type { Random } from './ports';

/** Exponential backoff bounds. */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/** 1 s doubling, capped at 5 minutes. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * The longest wait sync ever sets: a server's Retry-After is honoured up to an hour, and no backoff
 * is longer. A wait that ends further ahead than this was set before the device's clock stepped
 * back (a clock put right, a time zone set by hand): it is over, or a change made before the step
 * would sit unsent for as long as the clock moved.
 */
export const MAX_WAIT_MS = 60 * 60_000;

/** Whether a wait until `until` (device time, set by sync) still holds at `now`. */
export function stillWaiting(until: number, now: number): boolean {
  return until > now && until - now <= MAX_WAIT_MS;
}

/** Full-jitter delay before attempt number `attempts` (1 = first retry). */
export function backoffDelay(attempts: number, random: Random, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After (RFC 9110 §10.2.3) as milliseconds from the response: delta-seconds, or an
 * HTTP-date measured against the response's own Date header when present (server time), else
 * against the device clock.
 */
export function parseRetryAfter(value: string | undefined, responseDate: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(MAX_WAIT_MS, Number(trimmed) * 1_000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  const reference = responseDate ? Date.parse(responseDate) : NaN;
  return Math.min(MAX_WAIT_MS, Math.max(0, at - (Number.isNaN(reference) ? now : reference)));
}

/** When to try again: the jittered backoff, but never sooner than Retry-After. */
export function retryTime(now: number, attempts: number, retryAfterMs: number | undefined, random: Random, policy?: BackoffPolicy): number {
  return now + Math.min(MAX_WAIT_MS, Math.max(retryAfterMs ?? 0, backoffDelay(attempts, random, policy)));
}

/** Resource types (or `*` for all) held back until a time, after a 429 or 503. */
export type Blocks = Readonly<Record<string, number>>;

/** What a round knows beyond the clock. `reconnected`: the network came back since the last round started. */
export interface ReadyOptions {
  reconnected?: boolean;
}

/** Whether the entry still waits on its own backoff at `now`. */
function backedOff(entry: OutboxEntry, now: number, options: ReadyOptions): boolean {
  // A backoff is a device-clock time; an entry never tried is due now even if the clock has
  // since stepped back behind the moment it was made, and so is one whose backoff ends further
  // ahead than any backoff can (the clock stepped back while it waited).
  if (entry.attempts === 0 || !stillWaiting(entry.nextAttemptAt, now)) return false;
  return !(options.reconnected && entry.lastError?.code === 'network');
}

function resourceKey(e: OutboxEntry): string {
  return `${e.resourceType}/${e.resourceId}`;
}

/**
 * Entries that may be sent now, oldest first: pending, due, not rate-limited, at the head of
 * their resource's queue, with every dependency synced (or already pruned after syncing).
 */
export function selectReady(entries: readonly OutboxEntry[], now: number, blocks: Blocks = {}, options: ReadyOptions = {}): OutboxEntry[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const heads = new Set<string>();
  const ready: OutboxEntry[] = [];
  for (const entry of sendOrder(entries)) {
    const key = resourceKey(entry);
    const isHead = !heads.has(key);
    heads.add(key);
    if (!isHead || entry.state !== 'pending' || backedOff(entry, now, options)) continue;
    if (stillWaiting(blocks[entry.resourceType] ?? 0, now) || stillWaiting(blocks['*'] ?? 0, now)) continue;
    const waiting = (entry.dependsOn ?? []).some((id) => {
      const dep = byId.get(id);
      return dep !== undefined && dep.state !== 'synced';
    });
    if (!waiting) ready.push(entry);
  }
  return ready;
}

/** Replaces every reference to the local id (`urn:uuid:x` or `Type/x`) with `Type/serverId`. */
export function rewriteReferences<T>(value: T, type: string, localId: string, serverId: string): T {
  const targets = new Set([`urn:uuid:${localId}`, `${type}/${localId}`]);
  const visit = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(visit);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      out[k] = k === 'reference' && typeof child === 'string' && targets.has(child) ? `${type}/${serverId}` : visit(child);
    }
    return out;
  };
  return visit(value) as T;
}

/**
 * After `synced` reached the server: entries waiting on it are rewritten to what the server
 * assigned (`serverCopy`: the resource the server answered with, if it did). A create's local id becomes the server id in references, in resource ids and in
 * payload ids; a later change to the same resource that was made on top of this one's local copy
 * is re-based on the new version and copy. A later change made on an older copy (another tab's
 * form, opened before this change) keeps its base: its If-Match then meets 412 and the three-way
 * merge keeps both changes, where re-basing it would have sent the older copy's values over this
 * change (a lost update).
 */
export function applySynced(entries: readonly OutboxEntry[], synced: OutboxEntry, serverCopy?: Resource): OutboxEntry[] {
  const result = synced.result;
  if (!result) return [...entries];
  return entries.map((entry) => {
    if (entry.id === synced.id || entry.state === 'synced') return entry;
    let next = entry;
    if (synced.op === 'create' && synced.localId) {
      const local = synced.localId;
      next = {
        ...next,
        ...(next.payload ? { payload: rewriteReferences(next.payload, synced.resourceType, local, result.id) } : {}),
        ...(next.baseCopy ? { baseCopy: rewriteReferences(next.baseCopy, synced.resourceType, local, result.id) } : {}),
      };
      if (next.resourceType === synced.resourceType && next.resourceId === local) {
        next = { ...next, resourceId: result.id, ...(next.payload ? { payload: { ...next.payload, id: result.id } as Resource } : {}) };
      }
    }
    const sameResource = next.resourceType === synced.resourceType && next.resourceId === result.id;
    const madeOnThisChange = next.baseCopy === undefined || (synced.payload !== null && sameContent(next.baseCopy, synced.payload));
    if (sameResource && entry.dependsOn?.includes(synced.id) && synced.payload && madeOnThisChange) {
      const baseCopy =
        serverCopy ?? ({ ...synced.payload, id: result.id, ...(result.version ? { meta: { ...synced.payload.meta, versionId: result.version } } : {}) } as Resource);
      next = { ...next, baseCopy, ...(result.version !== undefined ? { baseVersion: result.version } : {}) };
    }
    return next;
  });
}
