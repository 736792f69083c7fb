import { partitionId, type PartitionOwner } from '@/lib/offline';
import { attachBrowserTriggers, createCoordinator, createProxyTransport, createSyncRound, createSyncStore, type Coordinator, type DownloadTarget, type LocksLike, type SyncStore, type Transport } from '@/lib/sync';
import { browserOffline } from './browser-offline';

/** The browser sync machinery for one launch: store, transport and coordinator, already started. */
export interface SyncEngine {
  store: SyncStore;
  transport: Transport;
  coordinator: Coordinator;
  /** Whether the store survives a reload (false: memory-only, e.g. inside a cross-site frame). */
  persistent: boolean;
  dispose(): void;
}

/** What a round downloads: the patient's own record (the portal), or nothing (the chart reads through its cache). */
export type SyncDownloads = 'patient' | 'none';

/**
 * Opens the offline store of (issuer, user, patient) in this tab's shared runtime and wires the
 * coordinator to the browser's triggers.
 */
export async function openSyncEngine(launchId: string, owner: PartitionOwner, downloads: SyncDownloads = 'patient'): Promise<SyncEngine> {
  const offline = browserOffline();
  const store = createSyncStore(await offline.open(owner));
  const transport = createProxyTransport({ launchId, origin: window.location.origin });
  const name = await partitionId(owner);
  const runRound = createSyncRound({
    store,
    transport,
    now: Date.now,
    random: Math.random,
    // The proxy serves no `metadata` (it would be refused every round), and for the one Patient a
    // full read compared by content hash costs the same as a delta: an empty statement says so.
    capability: { resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'] },
    targets: downloads === 'patient' ? [{ key: `Patient/${owner.patient}`, resourceType: 'Patient', id: owner.patient }] : ([] as DownloadTarget[]),
  });
  const locks = (navigator as Navigator & { locks?: LocksLike }).locks;
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`housecall-sync-${name}`);
  const coordinator = createCoordinator({
    name,
    runRound,
    now: Date.now,
    ...(locks ? { locks } : {}),
    ...(channel ? { channel } : {}),
    timers: { set: (fn, ms) => window.setTimeout(fn, ms), clear: (h) => window.clearTimeout(h as number) },
  });
  const detachWindow = attachBrowserTriggers(coordinator, window);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void coordinator.trigger('focus');
  };
  document.addEventListener('visibilitychange', onVisible);
  const persistent = await offline.persistent();
  return {
    store,
    transport,
    coordinator,
    persistent,
    dispose() {
      detachWindow();
      document.removeEventListener('visibilitychange', onVisible);
      coordinator.dispose();
      // The runtime is the tab's (browser-offline.ts) and outlives this engine.
      channel?.close();
    },
  };
}
