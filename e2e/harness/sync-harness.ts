/**
 * The sync engine (lib/sync on lib/offline) as a test harness for Chromium: bundled by the e2e
 * spec and injected into a Housecall page of a real launch, so it talks to the real proxy (same
 * origin, the launch's session cookie) and the sandbox EHR behind it, with real IndexedDB and
 * WebCrypto. Nothing here ships with the app: no route or page exists for it.
 *
 * It opens its own partition (a distinct owner), so the portal's own sync never touches its
 * outbox.
 */
import type { Resource } from '@medplum/fhirtypes';
import { createOffline, type PartitionOwner } from '@/lib/offline';
import {
  createProxyTransport, createSyncRound, createSyncStore, queueMutation,
  type DownloadTarget, type MutationArgs, type MutationBase, type MutationName, type OutboxEntry, type SyncRoundResult,
} from '@/lib/sync';

/** What a spec can call through `page.evaluate(() => window.syncHarness…)`. */
export interface SyncHarness {
  persistent: boolean;
  round(targets: DownloadTarget[], pageSize?: number): Promise<SyncRoundResult>;
  queue<N extends MutationName>(name: N, base: MutationBase<N>, args: MutationArgs<N>): Promise<OutboxEntry>;
  outbox(): Promise<OutboxEntry[]>;
  /** Ids of the cached resources of a type. */
  cachedIds(type: string): Promise<string[]>;
  read<T extends Resource>(type: string, id: string): Promise<T | undefined>;
}

/** The proxy serves no `metadata`: an empty statement means a full refetch compared by content hash. */
const NO_CAPABILITIES = { resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'] } as const;

async function openSyncHarness(launchId: string, owner: PartitionOwner): Promise<SyncHarness> {
  // As the app does (components/sync/browser-offline.ts): a new partition's key is made under a Web Lock.
  const offline = createOffline({ indexedDB: { indexedDB, IDBKeyRange }, locks: navigator.locks });
  const records = await offline.open(owner);
  const store = createSyncStore(records);
  const transport = createProxyTransport({ launchId, origin: location.origin });
  return {
    persistent: records.persistent,
    round: (targets, pageSize) =>
      createSyncRound({ store, transport, now: Date.now, random: Math.random, capability: { ...NO_CAPABILITIES, format: ['json'] }, targets, ...(pageSize ? { pageSize } : {}) })(),
    queue: (name, base, args) => queueMutation(store, name, base, args, { now: Date.now(), newId: () => crypto.randomUUID() }),
    outbox: () => store.loadOutbox(),
    cachedIds: async (type) => (await records.list({ type })).map((r) => r.id),
    read: (type, id) => store.readResource(type, id),
  };
}

declare global {
  interface Window {
    openSyncHarness: typeof openSyncHarness;
    syncHarness: SyncHarness;
  }
}
window.openSyncHarness = openSyncHarness;
