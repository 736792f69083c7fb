'use client';

import type { Patient, Resource } from '@medplum/fhirtypes';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { PartitionOwner } from '@/lib/offline';
import {
  describe, INITIAL_SYNC_STATE, queueMutation, readCurrent, resolveConflict, summarize, transition,
  type MutationArgs, type MutationBase, type MutationName, type OutboxEntry, type OutboxEvent, type OutboxSummary, type Resolution, type ShownCopy, type SyncState,
} from '@/lib/sync';
import { openSyncEngine, type SyncEngine } from './open-sync-engine';
import { createMetricsReporter, type MetricsReporter } from './report-metrics';
import { ensurePersistence } from './storage-persistence';

/** What pages under a launch see of sync. */
export interface SyncContextValue {
  ready: boolean;
  state: SyncState;
  summary: OutboxSummary;
  /** The indicator's one sentence. */
  sentence: string;
  entries: readonly OutboxEntry[];
  /** The store lives in memory only (IndexedDB refused, e.g. in a cross-site EHR frame): closing the window loses unsent work. */
  memoryOnly: boolean;
  /** The patient to show: cached, or fresh from the EHR once the cached copy is past its retention (else marked old). */
  readPatient(): Promise<ShownCopy<Patient> | undefined>;
  /** Queues a named change; returns the local copy with the change applied. */
  queue<N extends MutationName>(name: N, base: MutationBase<N>, args: MutationArgs<N>): Promise<Resource | null>;
  /** Settles a change under review (keep theirs, keep mine, or an edited copy); the decision is audited first. */
  resolve(entryId: string, resolution: Resolution): Promise<void>;
  /** Sends a failed change again. */
  retry(entryId: string): Promise<void>;
  /** Gives up a failed change: it never reaches the EHR, and the device's copy goes back to what it was based on. */
  discard(entryId: string): Promise<void>;
  /** Starts a sync round now. */
  syncNow(): void;
}

const SyncContext = createContext<SyncContextValue | null>(null);

/** The sync context of the page; throws outside a SyncProvider. */
export function useSync(): SyncContextValue {
  const value = useContext(SyncContext);
  if (!value) throw new Error('useSync outside SyncProvider');
  return value;
}

/** The sync context if the page has one (the portal), else null (the chart). */
export function useOptionalSync(): SyncContextValue | null {
  return useContext(SyncContext);
}

const PERSISTENCE_ASKED = { type: 'housecall:persistence', id: 'asked' } as const;

/** Opens the launch's offline store and runs sync on launch, reconnect, focus and a timer. */
export function SyncProvider({ launchId, owner, children }: { launchId: string; owner: PartitionOwner; children: React.ReactNode }) {
  const engine = useRef<SyncEngine | null>(null);
  const reporter = useRef<MetricsReporter | null>(null);
  const [ready, setReady] = useState(false);
  const [memoryOnly, setMemoryOnly] = useState(false);
  const [state, setState] = useState<SyncState>(INITIAL_SYNC_STATE);
  const [entries, setEntries] = useState<readonly OutboxEntry[]>([]);
  const { issuer, fhirUser, patient } = owner;

  const refresh = useCallback(async () => {
    const e = engine.current;
    if (!e) return;
    const outbox = await e.store.loadOutbox();
    setEntries(outbox);
    const unsent = outbox.some((x) => x.state !== 'synced');
    const memory = { asked: async () => (await e.records.get(PERSISTENCE_ASKED.type, PERSISTENCE_ASKED.id)) !== undefined, markAsked: () => e.records.write({ put: [{ cls: 'operational', ...PERSISTENCE_ASKED, value: true }] }) };
    const granted = await ensurePersistence(typeof navigator === 'undefined' ? undefined : navigator.storage, memory, { storeIsPersistent: e.persistent, hasUnsentWork: unsent });
    reporter.current?.update(outbox, granted);
  }, []);

  useEffect(() => {
    let cancelled = false;
    let unsubscribe = () => {};
    void openSyncEngine(launchId, { issuer, fhirUser, patient }).then((opened) => {
      if (cancelled) return opened.dispose();
      engine.current = opened;
      reporter.current = createMetricsReporter({ launchId, engine: opened });
      unsubscribe = opened.coordinator.subscribe((s) => {
        setState(s);
        if (s.kind === 'waiting') reporter.current?.countRetry();
        void refresh();
      });
      if (!navigator.onLine) opened.coordinator.networkChanged(false);
      setMemoryOnly(!opened.persistent);
      // The outbox is read before the indicator speaks, so it never says "All changes saved" over unsent work.
      void refresh().then(() => {
        if (cancelled) return;
        setReady(true);
        void opened.coordinator.start().then(refresh);
      });
    });
    return () => {
      cancelled = true;
      unsubscribe();
      engine.current?.dispose();
      engine.current = null;
      reporter.current = null;
    };
  }, [launchId, issuer, fhirUser, patient, refresh]);

  const value = useMemo<SyncContextValue>(() => {
    const summary = summarize(entries);
    const need = () => {
      if (!engine.current) throw new Error('sync is not ready');
      return engine.current;
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
    return {
      ready,
      state,
      summary,
      sentence: ready ? describe(state, summary) : 'Opening your saved changes…',
      entries,
      memoryOnly,
      async readPatient() {
        const e = engine.current;
        if (!e) return undefined;
        return readCurrent<Patient>(e.store, e.transport, 'Patient', patient);
      },
      async queue(name, base, args) {
        const e = need();
        const entry = await queueMutation(e.store, name, base, args, { now: Date.now(), newId: () => crypto.randomUUID() });
        await refresh();
        void e.coordinator.trigger('requested').then(refresh);
        return entry.payload;
      },
      async resolve(entryId, resolution) {
        const entry = entries.find((x) => x.id === entryId);
        if (!engine.current || !entry) throw new Error('nothing to resolve');
        const { event, audit, cache } = resolveConflict(entry, resolution, { who: fhirUser, now: Date.now() });
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
      syncNow() {
        const e = engine.current;
        if (e) void e.coordinator.trigger('requested').then(refresh);
      },
    };
  }, [ready, state, entries, memoryOnly, patient, fhirUser, launchId, refresh]);

  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}
