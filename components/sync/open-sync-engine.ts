import { browserDirectoryStorage, OWNER_RECORD, partitionId, rememberLaunch, type PartitionOwner, type RecordStore } from '@/lib/offline';
import { attachBrowserTriggers, createCoordinator, createHeldChanges, createProxyTransport, createSyncRound, createSyncStore, fetchConsentDirective, screenMustAskAgain, trackUnsent, withLostStorageCheck, type Coordinator, type LocksLike, type RoundContext, type SyncStore, type Transport } from '@/lib/sync';
import { openUnsentTally } from '@/lib/sync/unsent-tally';
import { failingDownloads } from '@/lib/sync/metrics';
import { browserOffline } from './browser-offline';
import { createMergeAudits } from './merge-audits';
import { withRetentionSweep } from './retention-sweep';
import { loadCapability, syncTargets, type SyncDownloads } from './sync-targets';

/** The browser sync machinery for one launch: store, transport and coordinator, already started. */
export interface SyncEngine {
  store: SyncStore;
  /** The encrypted store under `store`: its stats and counters feed the client metrics. */
  records: RecordStore;
  transport: Transport;
  coordinator: Coordinator;
  /** Whether the store survives a reload (false: memory-only, e.g. inside a cross-site frame). */
  persistent: boolean;
  /** Unsent changes the browser cleared with an earlier store while no page was open (unsent-tally.ts); 0 when none. */
  lostEarlier: number;
  /** The person read that they were lost: not told again. */
  toldLostEarlier(): void;
  /** Resource types whose last download failed and is not tried again, with its code (for the client metrics and support). */
  downloadsFailing(): Record<string, string>;
  dispose(): void;
}

export type { SyncDownloads } from './sync-targets';

/** What the views on screen are told of consent reaching the device. */
export interface ConsentWatch {
  /** The views on screen must ask the EHR again (screenMustAskAgain, lib/sync consent-sync.ts). */
  onChanged: () => void;
  /** The consent directive's version the page was judged under, when the page named it. */
  servedUnder?: string;
}

/**
 * Opens the offline store of (issuer, user, patient) in this tab's shared runtime and wires the
 * coordinator to the browser's triggers.
 */
export async function openSyncEngine(launchId: string, owner: PartitionOwner, downloads: SyncDownloads = 'patient', consentWatch?: ConsentWatch, readable?: readonly string[]): Promise<SyncEngine> {
  const records = await browserOffline().open(owner);
  // The offline shell finds this partition from the launch id alone (lib/offline launch-directory).
  await records.write({ put: [{ cls: 'operational', ...OWNER_RECORD, value: owner }] }).catch(() => undefined);
  rememberLaunch(browserDirectoryStorage(), launchId, records.partition);
  // What this tab knows is waiting, so a store the browser emptied under it is noticed (lost-storage.ts),
  // and the count beside the store, so one emptied while no page was open is noticed too (unsent-tally.ts).
  const tally = openUnsentTally(localStorageOrNothing(), records.partition, records.generation());
  const { store, unsent } = trackUnsent(createSyncStore(records), records, tally.count);
  const consentUrl = `/api/l/${encodeURIComponent(launchId)}/sync/consent`;
  const transport = createProxyTransport({ launchId, origin: window.location.origin });
  const name = await partitionId(owner);
  // Each type's strategy comes from what the EHR says it supports (lib/sync delta.ts).
  const capability = downloads === 'none' || readable?.length === 0 ? undefined : await loadCapability(transport);
  const targets = syncTargets(owner.patient, downloads, capability, readable);
  const typeOfTarget = new Map(targets.map((t) => [t.key, t.resourceType]));
  let failing: Record<string, string> = {};
  const round = createSyncRound({
    store,
    transport,
    now: Date.now,
    random: Math.random,
    ...(capability ? { capability } : {}),
    targets,
    // Each round first asks what the patient's consents now deny this launch, and acts on it.
    consent: { fetch: () => fetchConsentDirective((url) => fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } }), consentUrl), records },
    // A lapsed launch hands its unsent changes to the server before erasing; the next one takes them back.
    held: createHeldChanges((url, init) => fetch(url, init), `/api/l/${encodeURIComponent(launchId)}/sync/held`),
    durable: records.persistent,
  });
  // A wipe, a purge of the device's copies, or choices other than those the views were judged
  // under: views on screen ask again (and are judged afresh, so what the person may no longer see
  // leaves the screen too).
  // Each round first deletes what is past its retention (and so downloads it again, if it can).
  const sweptRound = withLostStorageCheck(records, unsent, Date.now, withRetentionSweep(records, round));
  // Automatic merges are audited like a person's resolutions, through the same endpoint.
  const merges = createMergeAudits(records, async (audit) => {
    const response = await fetch(`/api/l/${encodeURIComponent(launchId)}/sync/resolutions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(audit), credentials: 'same-origin' });
    return response.ok;
  }, owner.fhirUser);
  // The choices the views on screen were last judged under: the page's, then each round's.
  let judgedUnder = consentWatch?.servedUnder;
  const runRound = async (context?: RoundContext) => {
    const result = await sweptRound(context);
    // Told under the open page already (the indicator): the next page must not tell it again.
    if (result.storageLost) tally.lostHere();
    // A type the EHR refuses to download (a 400 on its search) is not retried: support sees it.
    failing = failingDownloads(failing, result.downloads.flatMap((d) => {
      const resourceType = typeOfTarget.get(d.key);
      return resourceType ? [{ resourceType, status: d.status, ...(d.error ? { code: d.error.code } : {}) }] : [];
    }));
    await merges.keep(result.upload?.merges).catch(() => undefined);
    await merges.send().catch(() => 0);
    if (screenMustAskAgain(result.consent, result.wipe !== undefined, judgedUnder)) consentWatch?.onChanged();
    if (result.consent) judgedUnder = result.consent.version;
    return result;
  };
  // Tabs share one round through a Web Lock only where they share the store. A store in memory
  // (IndexedDB refused, as in an EHR's cross-site frame) is this tab's alone, and there the
  // browser refuses Web Locks too (SecurityError): taking one would fail every round.
  const locks = records.persistent ? (navigator as Navigator & { locks?: LocksLike }).locks : undefined;
  const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`housecall-sync-${name}`);
  const coordinator = createCoordinator({
    name,
    runRound,
    now: Date.now,
    isOnline: () => navigator.onLine,
    ...(locks ? { locks } : {}),
    ...(channel ? { channel } : {}),
    timers: { set: (fn, ms) => window.setTimeout(fn, ms), clear: (h) => window.clearTimeout(h as number) },
  });
  const detachWindow = attachBrowserTriggers(coordinator, window);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void coordinator.trigger('focus');
  };
  document.addEventListener('visibilitychange', onVisible);
  // The store's own answer: IndexedDB may work yet this database fall back to memory (blocked, corrupt, full).
  const persistent = records.persistent;
  return {
    store,
    records,
    transport,
    coordinator,
    persistent,
    lostEarlier: tally.lostEarlier,
    toldLostEarlier: () => tally.told(),
    downloadsFailing: () => failing,
    dispose() {
      detachWindow();
      document.removeEventListener('visibilitychange', onVisible);
      coordinator.dispose();
      channel?.close();
      // The runtime is the tab's (browser-offline.ts) and outlives this engine.
    },
  };
}

/** The page's localStorage, or undefined where the browser refuses it (a sandboxed or storage-blocked frame). */
function localStorageOrNothing(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
