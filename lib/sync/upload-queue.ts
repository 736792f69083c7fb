/**
 * The upload driver: sends ready outbox entries one at a time, oldest first, persisting every
 * transition. An entry is written as `in-flight` before its request leaves, and its outcome is
 * written with the cache copy it produces, so a tab closed at any moment loses nothing: the next
 * sync (in this tab or another, under the sync lock) finds `in-flight` entries, marks them
 * `interrupted` and sends them again, which conditional create and If-Match make safe.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { ResolutionAudit } from './merge';
import { transition, type OutboxEntry, type OutboxError } from './outbox';
import { applySynced, selectReady, stillWaiting, type Blocks } from './schedule';
import type { CacheChange, SyncStore } from './sync-store';
import { enqueue, type MutationArgs, type MutationBase, type MutationContext, type MutationName } from './mutations';
import { uploadEntry, type UploadDeps, type UploadStep } from './upload';

/** What an upload pass did (counts, holds, stop reason). */
export interface UploadReport {
  sent: number;
  synced: number;
  retried: number;
  failed: number;
  conflicts: number;
  merged: number;
  /** Audit records of this round's automatic merges (merge.ts mergeAudit), for the app to send to the audit log. */
  merges?: ResolutionAudit[];
  /** Types (or `*`) held back by 429/503, until when. */
  blocks: Record<string, number>;
  /** 401: the launch ended; nothing more is sent until a relaunch. */
  stopped?: OutboxError;
  offline: boolean;
  /** Earliest nextAttemptAt of an entry waiting on a backoff, if any. */
  nextDue?: number;
}

/** Queues a named mutation: the entry and the local copy are stored together. */
export function queueMutation<N extends MutationName>(store: SyncStore, name: N, base: MutationBase<N>, args: MutationArgs<N>, ctx: MutationContext): Promise<OutboxEntry> {
  return store.updateOutbox((outbox) => {
    const { entry, local } = enqueue(outbox, name, base, args, ctx);
    const cache: CacheChange = local ? { putLocal: [local] } : { remove: [{ type: entry.resourceType, id: entry.resourceId }] };
    return { entries: [entry], cache, result: entry };
  });
}

/** In-flight entries left by a closed tab go back to pending. Call only while holding the sync lock. */
export async function recoverInterrupted(store: SyncStore): Promise<number> {
  return store.updateOutbox((outbox) => {
    const entries = outbox.filter((e) => e.state === 'in-flight').map((e) => transition(e, { type: 'interrupted' }));
    return { entries, result: entries.length };
  });
}

function unsettledOf(entries: readonly OutboxEntry[], type: string, id: string, except: string): boolean {
  return entries.some((e) => e.id !== except && e.state !== 'synced' && e.resourceType === type && e.resourceId === id);
}

/** Cache changes for a step: the server copy, unless a later local change to it is still unsent. */
function cacheFor(after: OutboxEntry, before: OutboxEntry, step: UploadStep, entries: readonly OutboxEntry[]): CacheChange {
  const cache: { put: Resource[]; putLocal: Resource[]; remove: { type: string; id: string }[] } = { put: [], putLocal: [], remove: [] };
  if (step.local) cache.putLocal.push(step.local);
  if (after.state !== 'synced' || step.server === undefined) return cache;
  const id = after.result?.id ?? after.resourceId;
  if (before.localId && before.localId !== id) cache.remove.push({ type: after.resourceType, id: before.localId });
  if (unsettledOf(entries, after.resourceType, id, after.id)) return cache;
  if (step.server === null) cache.remove.push({ type: after.resourceType, id });
  else cache.put.push(step.server);
  return cache;
}

/**
 * Sends everything that is ready. Stops at a 401 (launch ended) or a network failure; a 429 or
 * 503 holds back only its type (or everything for 503) and the others carry on. `reconnected`:
 * the network just came back, so entries waiting on a backoff after failing offline are ready.
 */
export async function uploadOutbox(store: SyncStore, deps: UploadDeps & { blocks?: Blocks; maxSendsPerEntry?: number; reconnected?: boolean }): Promise<UploadReport> {
  const report: UploadReport = { sent: 0, synced: 0, retried: 0, failed: 0, conflicts: 0, merged: 0, blocks: { ...deps.blocks }, offline: false };
  const sends = new Map<string, number>();
  const limit = deps.maxSendsPerEntry ?? 3;
  let entries = await store.loadOutbox();
  for (;;) {
    const entry = selectReady(entries, deps.now(), report.blocks, { reconnected: deps.reconnected === true }).find((e) => (sends.get(e.id) ?? 0) < limit);
    if (!entry) break;
    sends.set(entry.id, (sends.get(entry.id) ?? 0) + 1);
    const inFlight = transition(entry, { type: 'send', at: deps.now() });
    await store.updateOutbox(() => ({ entries: [inFlight], result: undefined }));
    entries = entries.map((e) => (e.id === inFlight.id ? inFlight : e));
    report.sent += 1;

    const step = await uploadEntry(inFlight, deps);
    const after = transition(inFlight, step.event);
    entries = await store.updateOutbox((stored) => {
      // Work from what is stored now: another change may have been queued meanwhile.
      let current = stored.map((e) => (e.id === after.id ? after : e));
      if (after.state === 'synced') current = applySynced(current, after, step.server ?? undefined);
      const changed = current.filter((e) => e === after || stored.find((s) => s.id === e.id) !== e);
      return { entries: changed, cache: cacheFor(after, inFlight, step, current), result: current };
    });

    if (after.state === 'synced') report.synced += 1;
    else if (after.state === 'failed') report.failed += 1;
    else if (after.state === 'needs-review') report.conflicts += 1;
    else if (step.event.type === 'rebase') report.merged += 1;
    else if (!step.stop) report.retried += 1;
    if (step.merged) report.merges = [...(report.merges ?? []), step.merged];
    if (step.block) report.blocks[step.block.scope] = Math.max(report.blocks[step.block.scope] ?? 0, step.block.until);
    if (step.stop) return { ...report, stopped: step.stop };
    if (step.offline) return { ...report, offline: true, ...nextDue(entries, deps.now(), report.blocks) };
  }
  return { ...report, ...nextDue(entries, deps.now(), report.blocks) };
}

/** When the earliest waiting entry becomes sendable: its own backoff, or its type's hold. */
function nextDue(entries: readonly OutboxEntry[], now: number, blocks: Blocks): { nextDue?: number } {
  const times = entries
    .filter((e) => e.state === 'pending')
    .map((e) => Math.max(e.nextAttemptAt, blocks[e.resourceType] ?? 0, blocks['*'] ?? 0))
    .filter((t) => stillWaiting(t, now));
  return times.length ? { nextDue: Math.min(...times) } : {};
}
