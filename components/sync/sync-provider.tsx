'use client';

import type { Patient, Resource } from '@medplum/fhirtypes';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { revalidateAnswers } from '@/components/fhir/answer-store';
import type { PartitionOwner } from '@/lib/offline';
import type { DamagedChange, MutationArgs, MutationBase, MutationName, OutboxSummary, Resolution, ShownCopy } from '@/lib/sync';
import type { OutboxEntry } from '@/lib/sync/outbox';
import { summarize } from '@/lib/sync/outbox-summary';
import { INITIAL_SYNC_STATE, type SyncState } from '@/lib/sync/sync-state';
import { loadOfflineRuntime, type OfflineRuntime } from './load-offline';
import type { SyncDownloads, SyncEngine } from './open-sync-engine';
import type { MetricsReporter } from './report-metrics';

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
  /** The device's copy of a resource (a local copy with unsent changes, or the last server copy). */
  readCached<T extends Resource>(type: string, id: string): Promise<T | undefined>;
  /** The device's copy of the resource a create with this idempotency key made in the EHR, once it synced (with any local change since). */
  findCreated<T extends Resource>(type: string, idempotencyKey: string): Promise<T | undefined>;
  /** Queues a named change; returns the local copy with the change applied. */
  queue<N extends MutationName>(name: N, base: MutationBase<N>, args: MutationArgs<N>): Promise<Resource | null>;
  /** Queues a named change; returns its outbox entry (its ids and idempotency key). */
  queueEntry<N extends MutationName>(name: N, base: MutationBase<N>, args: MutationArgs<N>): Promise<OutboxEntry>;
  /**
   * Settles a change under review (keep theirs, keep mine, an edited copy, or `reapply`: my named
   * change made again on the EHR's copy, lib/sync reapply.ts, where offered); audited first.
   */
  resolve(entryId: string, resolution: Resolution | { decision: 'reapply' }): Promise<void>;
  /** Sends a failed change again. */
  retry(entryId: string): Promise<void>;
  /** Gives up a failed change: it never reaches the EHR, and the device's copy goes back to what it was based on. */
  discard(entryId: string): Promise<void>;
  /** Unsent changes and drafts this device kept but can no longer read (issue 12): shown with Discard, never deleted silently. */
  damaged: readonly DamagedChange[];
  /** Erases one damaged change the person chose to discard. */
  discardDamaged(key: string): Promise<void>;
  /** Starts a sync round now. */
  syncNow(): void;
  /** What the person is told of unsent changes the browser cleared while no page was open (lib/sync unsent-tally.ts), until they say they read it. */
  lostEarlier: string | null;
  acknowledgeLost(): void;
}

const SyncContext = createContext<SyncContextValue | null>(null);

/** The sync context of the page; throws outside a SyncProvider. */
export function useSync(): SyncContextValue {
  const value = useContext(SyncContext);
  if (!value) throw new Error('useSync outside SyncProvider');
  return value;
}

/** The sync context, or null outside a SyncProvider (a launch without a user or patient). */
export function useOptionalSync(): SyncContextValue | null {
  return useContext(SyncContext);
}

const PERSISTENCE_ASKED = { type: 'housecall:persistence', id: 'asked' } as const;

/**
 * Opens the launch's offline store and runs sync on launch, reconnect, focus and a timer. When a
 * change reaches the EHR, views showing its resource type ask the EHR again.
 */
export function SyncProvider({ launchId, owner, downloads = 'patient', readable, consentVersion, children }: { launchId: string; owner: PartitionOwner; downloads?: SyncDownloads; readable?: readonly string[]; consentVersion?: string; children: React.ReactNode }) {
  // The consent directive's version the page was judged under (the layout names it): read once,
  // when the engine opens, so a newer render does not reopen it.
  const servedUnder = useRef(consentVersion);
  // The types the grant lets sync download, as a value that stays equal across renders.
  const readableKey = readable?.join(',');
  const engine = useRef<SyncEngine | null>(null);
  // The store and engine code (load-offline.ts): present whenever `engine` is.
  const runtime = useRef<OfflineRuntime | null>(null);
  const seen = useRef<readonly OutboxEntry[]>([]);
  const reporter = useRef<MetricsReporter | null>(null);
  const [ready, setReady] = useState(false);
  const [memoryOnly, setMemoryOnly] = useState(false);
  const [state, setState] = useState<SyncState>(INITIAL_SYNC_STATE);
  const [entries, setEntries] = useState<readonly OutboxEntry[]>([]);
  const [unreadable, setUnreadable] = useState(false);
  const [damaged, setDamaged] = useState<readonly DamagedChange[]>([]);
  const [lostEarlier, setLostEarlier] = useState<string | null>(null);
  // The offline runtime once loaded: the actions and sentences come with it.
  const [loaded, setLoaded] = useState<OfflineRuntime | null>(null);
  const { issuer, fhirUser, patient } = owner;

  const refresh = useCallback(async () => {
    const e = engine.current;
    const rt = runtime.current;
    if (!e || !rt) return;
    const read = await rt.readOutbox(e.store);
    // After a wipe the store refuses every call: nothing of the person's is left to show.
    if (read.kind === 'wiped') {
      setEntries([]);
      setDamaged([]);
      setUnreadable(false);
      return;
    }
    // A storage that timed out or lost its connection is not an empty outbox: keep the last
    // entries known and say the work could not be checked, never "All changes saved".
    setUnreadable(read.kind === 'unreadable');
    if (read.kind === 'unreadable') return;
    const outbox = read.entries;
    setDamaged(await e.store.damaged().catch(() => []));
    const types = rt.settledTypes(seen.current, outbox);
    seen.current = outbox;
    setEntries(outbox);
    if (types.length) void revalidateAnswers((key) => types.some((t) => key.includes(`/fhir/${t}`)));
    const unsent = outbox.some((x) => x.state !== 'synced');
    const memory = { asked: async () => (await e.records.get(PERSISTENCE_ASKED.type, PERSISTENCE_ASKED.id)) !== undefined, markAsked: () => e.records.write({ put: [{ cls: 'operational', ...PERSISTENCE_ASKED, value: true }] }) };
    const granted = await rt.ensurePersistence(typeof navigator === 'undefined' ? undefined : navigator.storage, memory, { storeIsPersistent: e.persistent, hasUnsentWork: unsent });
    reporter.current?.update(outbox, granted);
  }, []);

  useEffect(() => {
    let cancelled = false;
    let unsubscribe = () => {};
    void loadOfflineRuntime().then(async (rt) => {
      const opened = await rt.openSyncEngine(launchId, { issuer, fhirUser, patient }, downloads, { onChanged: () => void revalidateAnswers(() => true), ...(servedUnder.current ? { servedUnder: servedUnder.current } : {}) }, readableKey === undefined ? undefined : readableKey.split(',').filter(Boolean));
      if (cancelled) return opened.dispose();
      runtime.current = rt;
      engine.current = opened;
      setLoaded(rt);
      reporter.current = rt.createMetricsReporter({ launchId, engine: opened });
      const unsubscribeState = opened.coordinator.subscribe((s) => {
        setState(s);
        if (s.kind === 'waiting') reporter.current?.countRetry();
        void refresh();
      });
      // A row this partition could not decrypt: show damaged work at once, and report the counts.
      const unsubscribeTrouble = rt.onStoreTrouble((trouble) => {
        if (trouble.partition === opened.records.partition) void refresh();
      });
      unsubscribe = () => {
        unsubscribeState();
        unsubscribeTrouble();
      };
      if (!navigator.onLine) opened.coordinator.networkChanged(false);
      setMemoryOnly(!opened.persistent);
      if (opened.lostEarlier > 0) setLostEarlier(rt.lostEarlierSentence(opened.lostEarlier, fhirUser.startsWith('Patient/') ? 'patient' : 'clinician'));
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
  }, [launchId, issuer, fhirUser, patient, downloads, readableKey, refresh]);

  const value = useMemo<SyncContextValue>(() => {
    const summary = { ...summarize(entries), ...(unreadable ? { unreadable: true } : {}), ...(damaged.length ? { damaged: damaged.length } : {}) };
    const owner = { issuer, fhirUser, patient };
    // The actions come with the offline runtime (sync-actions.ts); until it is here they refuse.
    const actions = loaded ? loaded.syncActions({ launchId, owner, engine: () => engine.current, entries, refresh }) : notReadyActions(owner);
    return {
      ...actions,
      ready,
      state,
      summary,
      // The sentences come with the offline runtime (lib/sync sync-words.ts), which `ready` waits for.
      sentence: ready && loaded ? loaded.describeSync(state, summary, { relaunchFrom: fhirUser.startsWith('Patient/') ? 'portal' : 'ehr' }) : 'Opening your saved changes…',
      entries,
      memoryOnly,
      damaged,
      syncNow() {
        const e = engine.current;
        if (e) void e.coordinator.trigger('requested').then(refresh);
      },
      lostEarlier,
      acknowledgeLost() {
        engine.current?.toldLostEarlier();
        setLostEarlier(null);
      },
    };
  }, [loaded, ready, state, entries, unreadable, damaged, memoryOnly, lostEarlier, issuer, patient, fhirUser, launchId, refresh]);

  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

/** What a page can do with sync: the provider's actions (sync-actions.ts). */
export type SyncActions = Pick<SyncContextValue, 'readPatient' | 'readCached' | 'findCreated' | 'queue' | 'queueEntry' | 'resolve' | 'retry' | 'discard' | 'discardDamaged'>;

const notReady = () => Promise.reject(new Error('sync is not ready'));

/** Before the offline runtime arrived: nothing to read, nothing accepted, and a created copy found by loading it. */
function notReadyActions(owner: PartitionOwner): SyncActions {
  return {
    readPatient: async () => undefined,
    readCached: async () => undefined,
    findCreated: async (type, idempotencyKey) => (await loadOfflineRuntime()).findCreated(owner, type, idempotencyKey),
    queue: notReady,
    queueEntry: notReady,
    resolve: notReady,
    retry: notReady,
    discard: notReady,
    discardDamaged: notReady,
  };
}
