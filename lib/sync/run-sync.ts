/**
 * One sync round for a partition: recover entries a closed tab left in flight, act on what the
 * patient's consents now deny (consent-sync.ts), upload what is ready, then download each target. Upload goes first so the person's changes reach the EHR
 * before fresher server data is pulled over them (and pulled data then reflects them). The
 * caller must hold the sync lock (coordinator.ts); the round itself is sequential and stateless
 * apart from the CapabilityStatement it reads once and the holds a 429 or 503 asked for: a type
 * the server told to wait (or every type, after a 503) is not downloaded either until then.
 *
 * A directive that says wipe, or a 401 `launch-withdrawn` in its place, ends the round before
 * anything is sent: the partition is crypto-shredded and the round reports `stopped` with the
 * wipe (consent-sync.ts). Only the directive carries that signal, so a launch that ends while
 * this round uploads or downloads (a 401: the proxy's refresh was refused) asks for the
 * directive once more and, withdrawn, wipes the same way: every ending decided for the person
 * erases the device's copy, whenever it is noticed. Unsent work is handed to the server first
 * when the launch lapsed (held-changes.ts); the next launch of the same user and patient takes
 * it back (once per engine, after the directive and before the upload) and sends it.
 */
import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { RecordStore } from '@/lib/offline';
import { applyConsentDirective, wipePartition, type ConsentDirective, type ConsentFetch, type ConsentReport, type WipeReport } from './consent-sync';
import type { ContentHasher } from './content-hash';
import { readmitHeld, type HeldChanges } from './held-changes';
import { chooseStrategy, type DownloadTarget } from './delta';
import { downloadAll, type DownloadReport } from './download';
import type { OutboxError } from './outbox';
import type { Random, Transport } from './ports';
import { stillWaiting, type BackoffPolicy } from './schedule';
import type { SyncStore } from './sync-store';
import type { RoundContext } from './coordinator';
import { recoverInterrupted, uploadOutbox, type UploadReport } from './upload-queue';

/**
 * How a round ended, for the sync indicator. `error`: the round threw (the device's storage did
 * not answer, or a bug); the coordinator reports it and tries again (coordinator.ts).
 */
export type RoundOutcome = 'ok' | 'offline' | 'stopped' | 'retry' | 'error';

/** Why a `retry` round waits: the EHR asked to slow down (429 on a type), or it failed or was unavailable (5xx, 503, a timeout). */
export type RoundWait = 'rate-limited' | 'server-unavailable';

/** What a round did (counts and times only). */
export interface SyncRoundResult {
  outcome: RoundOutcome;
  /** Device time the round ended. */
  at: number;
  recovered: number;
  upload?: UploadReport;
  downloads: DownloadReport[];
  /** Earliest device time something is due again (a backoff, a Retry-After). */
  retryAt?: number;
  /** With `retry`: why. */
  waitReason?: RoundWait;
  stopped?: OutboxError;
  /** What the consent directive asked of this round, when one was fetched. */
  consent?: ConsentReport;
  /** The partition was crypto-shredded this round (consent-sync.ts wipePartition); the round is `stopped`. */
  wipe?: WipeReport;
  /** Changes a lapsed launch of the same user and patient left with the server, back in this outbox. */
  readmitted?: number;
  /** With `error`: the stable code of what went wrong (an OfflineStoreError code, or `unexpected`). */
  failure?: OutboxError;
  /** The browser emptied the device's store with this many unsent changes in it; the round is `stopped` (lost-storage.ts). */
  storageLost?: number;
}

/** Side effects and configuration of a round (STYLE rule 10). */
export interface SyncRoundDeps {
  store: SyncStore;
  transport: Transport;
  now: () => number;
  random: Random;
  targets: readonly DownloadTarget[] | (() => Promise<readonly DownloadTarget[]>);
  /** The server's CapabilityStatement; fetched from `metadata` once if not given. */
  capability?: CapabilityStatement;
  hash?: ContentHasher;
  overlapMs?: number;
  pageSize?: number;
  /** Time between whole refetches of delta-synced types (download.ts; default a day). */
  sweepEveryMs?: number;
  backoff?: BackoffPolicy;
  /** Consent reaching the client (consent-sync.ts): the directive, and the partition's store to purge. */
  consent?: { fetch: () => Promise<ConsentFetch>; records: RecordStore };
  /** The server's keeping of unsent work across a lapsed launch (held-changes.ts). */
  held?: HeldChanges;
  /**
   * Whether the store survives the tab (false: memory-only, inside an EHR frame). Taken-back
   * changes are released at the server at once on a durable store, and only once they have left
   * the outbox on a memory-only one, so a frame closed before they were sent loses nothing.
   */
  durable?: boolean;
}

/**
 * Returns the round function the coordinator runs under the sync lock; the coordinator tells it
 * when the network has just come back (`reconnected`: schedule.ts selectReady).
 */
export function createSyncRound(deps: SyncRoundDeps): (context?: Partial<RoundContext>) => Promise<SyncRoundResult> {
  let capability = deps.capability;
  /** Rate-limit holds outlive a round: a type told to wait by a 429 waits in the next round too. */
  let blocks: Record<string, number> = {};

  async function loadCapability(): Promise<CapabilityStatement | 'offline' | 'stopped' | undefined> {
    if (capability) return capability;
    try {
      const response = await deps.transport({ method: 'GET', url: 'metadata' });
      if (response.status === 401) return 'stopped';
      const body = response.body as CapabilityStatement | undefined;
      if (response.status === 200 && body?.resourceType === 'CapabilityStatement') capability = body;
      return capability;
    } catch {
      return 'offline';
    }
  }

  /** Held changes are taken back once per engine, on its first round that reaches the server. */
  let takenBack = false;

  async function wipe(records: RecordStore, directive: 'withdrawn' | ConsentDirective, recovered: number): Promise<SyncRoundResult> {
    const withdrawn = directive === 'withdrawn';
    const report = await wipePartition({ store: deps.store, records, ...(deps.held ? { held: deps.held } : {}) }, withdrawn ? 'launch-withdrawn' : 'consent');
    return { outcome: 'stopped', at: deps.now(), recovered, downloads: [], stopped: withdrawn ? { code: 'launch-withdrawn', status: 401 } : { code: 'consent-denied', status: 403 }, wipe: report };
  }

  const meansErase = (d: ConsentFetch): d is 'withdrawn' | ConsentDirective => d === 'withdrawn' || (typeof d === 'object' && d.wipe === true);

  /** A round that met a 401 mid-way asks whether the launch was withdrawn, and if so wipes like any other. */
  async function endedMidRound(result: SyncRoundResult): Promise<SyncRoundResult> {
    if (!deps.consent || result.upload === undefined || result.stopped?.status !== 401) return result;
    const directive = await deps.consent.fetch();
    if (!meansErase(directive)) return result;
    const wiped = await wipe(deps.consent.records, directive, result.recovered);
    return { ...result, ...wiped, upload: result.upload, downloads: result.downloads };
  }

  /** Taken back but not yet released at the server (memory-only stores: until they leave the outbox). */
  const claimed = new Set<string>();

  async function takeBack(): Promise<number> {
    if (!deps.held || takenBack) return 0;
    const held = await deps.held.take();
    if (held === undefined) return 0;
    takenBack = true;
    if (held.length === 0) return 0;
    const added = await deps.store.updateOutbox((outbox) => {
      const readmitted = readmitHeld(outbox, held, deps.now());
      return { entries: readmitted.entries, cache: readmitted.cache, result: readmitted.entries.length };
    });
    for (const e of held) claimed.add(e.id);
    if (deps.durable !== false) await releaseClaimed(() => true);
    return added;
  }

  /** Releases claimed ids `settled` says this device no longer needs the server to keep; a release that gets no answer is tried again next round. */
  async function releaseClaimed(settled: (id: string) => boolean): Promise<void> {
    const ids = [...claimed].filter(settled);
    if (ids.length === 0 || !deps.held) return;
    if (await deps.held.release(ids)) for (const id of ids) claimed.delete(id);
  }

  async function releaseSent(): Promise<void> {
    if (claimed.size === 0) return;
    const unsettled = new Set((await deps.store.loadOutbox()).filter((e) => e.state !== 'synced').map((e) => e.id));
    await releaseClaimed((id) => deps.durable !== false || !unsettled.has(id));
  }

  async function roundOnce(context: Partial<RoundContext>): Promise<SyncRoundResult> {
    const recovered = await recoverInterrupted(deps.store);
    // Consent first: a write the patient no longer permits is held before the upload could send it.
    let directive: ConsentFetch | undefined;
    if (deps.consent) {
      directive = await deps.consent.fetch();
      if (directive === 'stopped') return { outcome: 'stopped', at: deps.now(), recovered, downloads: [], stopped: { code: 'launch-ended', status: 401 } };
      // No answer from Housecall's own server: nothing is sent before the directive is known (a
      // network coming back can fail this request and carry the next; the round waits instead).
      if (directive === 'offline') return { outcome: 'offline', at: deps.now(), recovered, downloads: [] };
      // Nothing is uploaded or downloaded once the server says erase: the launch is over, or the patient's choices refuse this actor everything.
      if (meansErase(directive)) return wipe(deps.consent.records, directive, recovered);
    }
    const readmitted = await takeBack();
    let consent: ConsentReport | undefined;
    if (deps.consent && typeof directive === 'object') consent = await applyConsentDirective({ store: deps.store, records: deps.consent.records, now: deps.now }, directive);
    const startedAt = deps.now();
    // Holds that are over, or that end further ahead than any hold can (the clock stepped back), go.
    blocks = Object.fromEntries(Object.entries(blocks).filter(([, until]) => stillWaiting(until, startedAt)));
    // After a reconnect, changes that failed only because the device was offline go now.
    const upload = await uploadOutbox(deps.store, { ...deps, blocks, reconnected: context.reconnected === true });
    blocks = upload.blocks;
    await releaseSent();
    const base = { recovered, upload, downloads: [] as DownloadReport[], ...(consent ? { consent } : {}), ...(readmitted ? { readmitted } : {}) };
    if (upload.stopped) return { ...base, outcome: 'stopped', at: deps.now(), stopped: upload.stopped };
    if (upload.offline) return { ...base, outcome: 'offline', at: deps.now(), ...dueAgain(deps, upload, []) };

    const cap = await loadCapability();
    if (cap === 'stopped') return { ...base, outcome: 'stopped', at: deps.now(), stopped: { code: 'launch-ended', status: 401 } };
    if (cap === 'offline') return { ...base, outcome: 'offline', at: deps.now() };
    const targets = typeof deps.targets === 'function' ? await deps.targets() : deps.targets;
    const now = deps.now();
    const heldUntil = (t: DownloadTarget) => Math.max(blocks[t.resourceType] ?? 0, blocks['*'] ?? 0);
    const held: DownloadReport[] = targets
      .filter((t) => heldUntil(t) > now)
      .map((t) => ({ key: t.key, strategy: chooseStrategy(cap, t), status: 'retry', pages: 0, upserts: 0, deletes: 0, skippedPending: 0, retryAfterMs: heldUntil(t) - now }));
    const fetched = await downloadAll(targets.filter((t) => heldUntil(t) <= now), {
      transport: deps.transport,
      store: deps.store,
      now: deps.now,
      ...(cap ? { capability: cap } : {}),
      ...(deps.hash ? { hash: deps.hash } : {}),
      ...(deps.overlapMs !== undefined ? { overlapMs: deps.overlapMs } : {}),
      ...(deps.pageSize !== undefined ? { pageSize: deps.pageSize } : {}),
      ...(deps.sweepEveryMs !== undefined ? { sweepEveryMs: deps.sweepEveryMs } : {}),
    });
    const downloads = [...held, ...fetched];
    const stoppedDownload = downloads.find((d) => d.status === 'stopped');
    const at = deps.now();
    if (stoppedDownload) return { ...base, downloads, outcome: 'stopped', at, stopped: stoppedDownload.error ?? { code: 'launch-ended', status: 401 } };
    if (downloads.some((d) => d.status === 'offline')) return { ...base, downloads, outcome: 'offline', at };
    const due = dueAgain(deps, upload, downloads);
    const reason = waitReason(upload, downloads, at);
    return { ...base, downloads, outcome: reason ? 'retry' : 'ok', at, ...due, ...(reason ? { waitReason: reason } : {}) };
  }

  return async function round(context: Partial<RoundContext> = {}): Promise<SyncRoundResult> {
    const result = await roundOnce(context);
    return result.outcome === 'stopped' && !result.wipe ? endedMidRound(result) : result;
  };
}

/**
 * Why the round must wait, if it must: a type held by a 429 is rate-limiting; a hold on every
 * type (503), a download told to retry for a 5xx, or a change put back on a backoff after a 5xx
 * or timeout is the EHR being unavailable. Undefined when nothing waits.
 */
function waitReason(upload: UploadReport, downloads: readonly DownloadReport[], at: number): RoundWait | undefined {
  const held = Object.entries(upload.blocks).filter(([, until]) => until > at).map(([scope]) => scope);
  const retrying = downloads.filter((d) => d.status === 'retry');
  if (held.some((scope) => scope !== '*') || retrying.some((d) => d.error?.status === 429)) return 'rate-limited';
  if (held.length > 0 || retrying.length > 0 || (upload.retried > 0 && upload.nextDue !== undefined)) return 'server-unavailable';
  return undefined;
}

function dueAgain(deps: SyncRoundDeps, upload: UploadReport, downloads: readonly DownloadReport[]): { retryAt?: number } {
  const now = deps.now();
  const times = [
    ...Object.values(upload.blocks).filter((t) => t > now),
    ...(upload.nextDue !== undefined ? [upload.nextDue] : []),
    ...downloads.filter((d) => d.status === 'retry').map((d) => now + (d.retryAfterMs ?? 30_000)),
  ];
  return times.length ? { retryAt: Math.min(...times) } : {};
}
