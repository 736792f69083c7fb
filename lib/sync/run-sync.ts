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
 * wipe (consent-sync.ts). Only the directive carries that signal. A launch that ends while this
 * round uploads or downloads (the proxy's refresh refused) stops as `launch-ended` and keeps the
 * device's copy, so its unsent work is sent by the next launch of the same user and patient
 * (e2e sync-faults); a tab that learns of such an ending from the directive wipes.
 */
import type { CapabilityStatement } from '@medplum/fhirtypes';
import type { RecordStore } from '@/lib/offline';
import { applyConsentDirective, wipePartition, type ConsentFetch, type ConsentReport, type WipeReport } from './consent-sync';
import type { ContentHasher } from './content-hash';
import { chooseStrategy, type DownloadTarget } from './delta';
import { downloadAll, type DownloadReport } from './download';
import type { OutboxError } from './outbox';
import type { Random, Transport } from './ports';
import type { BackoffPolicy } from './schedule';
import type { SyncStore } from './sync-store';
import { recoverInterrupted, uploadOutbox, type UploadReport } from './upload-queue';

/** How a round ended, for the sync indicator. */
export type RoundOutcome = 'ok' | 'offline' | 'stopped' | 'retry';

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
  stopped?: OutboxError;
  /** What the consent directive asked of this round, when one was fetched. */
  consent?: ConsentReport;
  /** The partition was crypto-shredded this round (consent-sync.ts wipePartition); the round is `stopped`. */
  wipe?: WipeReport;
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
}

/** Returns the round function the coordinator runs under the sync lock. */
export function createSyncRound(deps: SyncRoundDeps): () => Promise<SyncRoundResult> {
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

  return async function round(): Promise<SyncRoundResult> {
    const recovered = await recoverInterrupted(deps.store);
    // Consent first: a write the patient no longer permits is held before the upload could send it.
    let consent: ConsentReport | undefined;
    if (deps.consent) {
      const directive = await deps.consent.fetch();
      if (directive === 'stopped') return { outcome: 'stopped', at: deps.now(), recovered, downloads: [], stopped: { code: 'launch-ended', status: 401 } };
      // Nothing is uploaded or downloaded once the server says erase: the launch is over, or the patient's choices refuse this actor everything.
      if (directive === 'withdrawn' || (typeof directive === 'object' && directive.wipe)) {
        const wipe = await wipePartition({ store: deps.store, records: deps.consent.records }, directive === 'withdrawn' ? 'launch-withdrawn' : 'consent');
        return { outcome: 'stopped', at: deps.now(), recovered, downloads: [], stopped: directive === 'withdrawn' ? { code: 'launch-withdrawn', status: 401 } : { code: 'consent-denied', status: 403 }, wipe };
      }
      if (typeof directive === 'object') consent = await applyConsentDirective({ store: deps.store, records: deps.consent.records, now: deps.now }, directive);
    }
    const startedAt = deps.now();
    blocks = Object.fromEntries(Object.entries(blocks).filter(([, until]) => until > startedAt));
    const upload = await uploadOutbox(deps.store, { ...deps, blocks });
    blocks = upload.blocks;
    const base = { recovered, upload, downloads: [] as DownloadReport[], ...(consent ? { consent } : {}) };
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
    const waiting = Object.values(upload.blocks).some((until) => until > at) || downloads.some((d) => d.status === 'retry');
    return { ...base, downloads, outcome: waiting ? 'retry' : 'ok', at, ...due };
  };
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
