/**
 * What a page can do with sync once the device store is open (queue a change, settle one under
 * review, send a failed one again, discard one, read the device's copies): the sync provider's
 * actions, which come with the offline runtime (offline-runtime.ts) rather than with every page's
 * first code. Until the runtime is there, the provider hands out `notReadyActions`.
 */
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { PartitionOwner } from '@/lib/offline';
import type { MutationArgs, MutationBase, MutationName, OutboxEvent, Resolution } from '@/lib/sync';
import { transition, type OutboxEntry } from '@/lib/sync/outbox';
import { refuseWhenStorageLost } from '@/lib/sync/lost-storage';
import { resolveConflict } from '@/lib/sync/merge';
import { queueMutation } from '@/lib/sync/upload-queue';
import { readCurrent } from '@/lib/sync/read-current';
import { reapplyOnTheirs } from '@/lib/sync/reapply';
import { IDEMPOTENCY_SYSTEM } from '@/lib/sync/upload';
import { openPartition } from './browser-offline';
import type { SyncEngine } from './open-sync-engine';
import type { SyncActions } from './sync-provider';

export interface SyncActionDeps {
  launchId: string;
  owner: PartitionOwner;
  /** The engine, once open (the provider's ref). */
  engine: () => SyncEngine | null;
  /** The outbox as the page shows it. */
  entries: readonly OutboxEntry[];
  /** Reads the outbox again into the page. */
  refresh: () => Promise<void>;
}

/** The device's copy of the resource a create with this idempotency key made in the EHR, once it synced. */
export async function findCreated<T extends Resource>(owner: PartitionOwner, type: string, idempotencyKey: string): Promise<T | undefined> {
  const records = await (await openPartition(owner)).list<T & { identifier?: { system?: string; value?: string }[] }>({ type }, { expired: 'mark' });
  // The server copy, or the local copy of a later change to it (a signature waiting or under
  // review is kept as a draft under the same id); the create's own local copy carries no
  // identifier yet, so it is never mistaken for the EHR's.
  const found = records.find((r) => r.cls !== 'operational' && r.value.identifier?.some((i) => i.system === IDEMPOTENCY_SYSTEM && i.value === idempotencyKey));
  return found?.value;
}

export function syncActions({ launchId, owner, engine, entries, refresh }: SyncActionDeps): SyncActions {
  const need = () => {
    const e = engine();
    if (!e) throw new Error('sync is not ready');
    refuseWhenStorageLost(e.coordinator.state());
    return e;
  };
  /** Applies `event` to one entry if it is still in `from`, with the cache writes that go with it, then syncs. */
  const settle = async (entryId: string, from: OutboxEntry['state'], event: OutboxEvent, cache?: (current: OutboxEntry, outbox: OutboxEntry[]) => { put?: Resource[]; putLocal?: Resource[] } | undefined) => {
    const e = need();
    await e.store.updateOutbox((outbox) => {
      const current = outbox.find((x) => x.id === entryId);
      if (current?.state !== from) return { entries: [], result: undefined };
      const change = cache?.(current, outbox);
      return { entries: [transition(current, event)], ...(change ? { cache: change } : {}), result: undefined };
    });
    await refresh();
    void e.coordinator.trigger('requested').then(refresh);
  };
  const queueEntry = async <N extends MutationName>(name: N, base: MutationBase<N>, args: MutationArgs<N>): Promise<OutboxEntry> => {
    const e = need();
    const entry = await queueMutation(e.store, name, base, args, { now: Date.now(), newId: () => crypto.randomUUID() });
    await refresh();
    void e.coordinator.trigger('requested').then(refresh);
    return entry;
  };
  return {
    async readPatient() {
      const e = engine();
      return e ? readCurrent<Patient>(e.store, e.transport, 'Patient', owner.patient) : undefined;
    },
    async readCached<T extends Resource>(type: string, id: string) {
      return engine()?.store.readResource<T>(type, id);
    },
    findCreated: (type, idempotencyKey) => findCreated(owner, type, idempotencyKey),
    async queue(name, base, args) {
      return (await queueEntry(name, base, args)).payload;
    },
    queueEntry,
    async resolve(entryId, choice) {
      const entry = entries.find((x) => x.id === entryId);
      if (!engine() || !entry) throw new Error('nothing to resolve');
      const again = choice.decision === 'reapply' ? reapplyOnTheirs(entry, entry.conflict?.theirs ?? null) : undefined;
      if (choice.decision === 'reapply' && !again) throw new Error('this change cannot be made again on the EHR copy');
      const resolution: Resolution = again ? { decision: 'reapply', resource: again } : (choice as Resolution);
      const { event, audit, cache } = resolveConflict(entry, resolution, { who: owner.fhirUser, now: Date.now() });
      const recorded = await fetch(`/api/l/${encodeURIComponent(launchId)}/sync/resolutions`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(audit), credentials: 'same-origin',
      });
      if (!recorded.ok) throw new Error(`resolution not recorded (${recorded.status})`);
      await settle(entryId, 'needs-review', event, () => (cache ? (resolution.decision === 'keep-theirs' ? { put: [cache] } : { putLocal: [cache] }) : undefined));
    },
    retry: (entryId) => settle(entryId, 'failed', { type: 'requeue', at: Date.now() }),
    discard: (entryId) =>
      settle(entryId, 'failed', { type: 'discard' }, (current, outbox) => {
        // The device's copy carries this change; put back the copy it was made on, unless a later change builds on it.
        const later = outbox.some((x) => x.id !== current.id && x.state !== 'synced' && x.resourceType === current.resourceType && x.resourceId === current.resourceId);
        return current.baseCopy && !later ? { put: [current.baseCopy] } : undefined;
      }),
    async discardDamaged(key) {
      await need().store.discardDamaged(key);
      await refresh();
    },
  };
}
