'use client';

import type { Patient, Resource } from '@medplum/fhirtypes';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { PartitionOwner } from '@/lib/offline';
import {
  describe, INITIAL_SYNC_STATE, queueMutation, readCurrent, resolveConflict, summarize, transition,
  type MutationArgs, type MutationBase, type MutationName, type OutboxEntry, type OutboxSummary, type ShownCopy, type SyncState,
} from '@/lib/sync';
import { openSyncEngine, type SyncEngine } from './open-sync-engine';

/** What pages under a launch see of sync. */
export interface SyncContextValue {
  ready: boolean;
  state: SyncState;
  summary: OutboxSummary;
  /** The indicator's one sentence. */
  sentence: string;
  entries: readonly OutboxEntry[];
  /** The patient to show: cached, or fresh from the EHR once the cached copy is past its retention (else marked old). */
  readPatient(): Promise<ShownCopy<Patient> | undefined>;
  /** Queues a named change; returns the local copy with the change applied. */
  queue<N extends MutationName>(name: N, base: MutationBase<N>, args: MutationArgs<N>): Promise<Resource | null>;
  resolve(entryId: string, decision: 'keep-theirs' | 'keep-mine'): Promise<void>;
}

const SyncContext = createContext<SyncContextValue | null>(null);

/** The sync context of the page; throws outside a SyncProvider. */
export function useSync(): SyncContextValue {
  const value = useContext(SyncContext);
  if (!value) throw new Error('useSync outside SyncProvider');
  return value;
}

/** Opens the launch's offline store and runs sync on launch, reconnect, focus and a timer. */
export function SyncProvider({ launchId, owner, children }: { launchId: string; owner: PartitionOwner; children: React.ReactNode }) {
  const engine = useRef<SyncEngine | null>(null);
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<SyncState>(INITIAL_SYNC_STATE);
  const [entries, setEntries] = useState<readonly OutboxEntry[]>([]);
  const { issuer, fhirUser, patient } = owner;

  const refresh = useCallback(async () => {
    if (engine.current) setEntries(await engine.current.store.loadOutbox());
  }, []);

  useEffect(() => {
    let cancelled = false;
    let unsubscribe = () => {};
    void openSyncEngine(launchId, { issuer, fhirUser, patient }).then((opened) => {
      if (cancelled) return opened.dispose();
      engine.current = opened;
      unsubscribe = opened.coordinator.subscribe((s) => {
        setState(s);
        void refresh();
      });
      if (!navigator.onLine) opened.coordinator.networkChanged(false);
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
    };
  }, [launchId, issuer, fhirUser, patient, refresh]);

  const value = useMemo<SyncContextValue>(() => {
    const summary = summarize(entries);
    return {
      ready,
      state,
      summary,
      sentence: ready ? describe(state, summary) : 'Opening your saved changes…',
      entries,
      async readPatient() {
        const e = engine.current;
        if (!e) return undefined;
        return readCurrent<Patient>(e.store, e.transport, 'Patient', patient);
      },
      async queue(name, base, args) {
        const e = engine.current;
        if (!e) throw new Error('sync is not ready');
        const entry = await queueMutation(e.store, name, base, args, { now: Date.now(), newId: () => crypto.randomUUID() });
        await refresh();
        void e.coordinator.trigger('requested').then(refresh);
        return entry.payload;
      },
      async resolve(entryId, decision) {
        const e = engine.current;
        const entry = entries.find((x) => x.id === entryId);
        if (!e || !entry) throw new Error('nothing to resolve');
        const { event, audit, cache } = resolveConflict(entry, { decision }, { who: fhirUser, now: Date.now() });
        const recorded = await fetch(`/api/l/${encodeURIComponent(launchId)}/sync/resolutions`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(audit), credentials: 'same-origin',
        });
        if (!recorded.ok) throw new Error(`resolution not recorded (${recorded.status})`);
        await e.store.updateOutbox((outbox) => {
          const current = outbox.find((x) => x.id === entryId);
          if (current?.state !== 'needs-review') return { entries: [], result: undefined };
          const put = cache ? (decision === 'keep-theirs' ? { put: [cache] } : { putLocal: [cache] }) : undefined;
          return { entries: [transition(current, event)], ...(put ? { cache: put } : {}), result: undefined };
        });
        await refresh();
        void e.coordinator.trigger('requested').then(refresh);
      },
    };
  }, [ready, state, entries, patient, fhirUser, launchId, refresh]);

  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}
