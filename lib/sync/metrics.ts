/**
 * The client's sync health, reported to the server's metrics endpoint (DESIGN §1 Telemetry:
 * "sync queue depth, oldest pending age, conflicts, retries, cache age (reported by clients,
 * PHI-free)"). Only counts, durations, resource type names and booleans: no ids, no payloads,
 * no error text, nothing that names a patient or a user. The snapshot is built from plain
 * inputs so a test can prove exactly what leaves the device.
 */
import type { ClassStats, DataClass } from '@/lib/offline';
import type { OutboxEntry, OutboxState } from './outbox';

/** Counters since the last report (the reporter sends differences, so the server can add them up). */
export interface SyncCounters {
  /** Retries (429, 503, 5xx, network). */
  retries: number;
  /** Records dropped because they failed to decrypt. */
  dropped: number;
  /** Records evicted for lack of space. */
  evicted: number;
  /** Unsent changes or drafts found undecryptable and kept for the person (never dropped). */
  damaged?: number;
}

/** The PHI-free snapshot sent to /api/metrics. */
export interface ClientMetrics {
  queueDepth: number;
  byState: Record<OutboxState, number>;
  /** Age in ms of the oldest entry not yet synced; 0 when none. */
  oldestPendingAgeMs: number;
  /** Entries that went to needs-review since the last report, by resource type. */
  conflictsByResourceType: Record<string, number>;
  /** Entries that failed since the last report, by their stable error code (`scope-not-granted`, `http-422`). */
  failuresByCode: Record<string, number>;
  retries: number;
  dropped: number;
  evicted: number;
  /** Unsent changes or drafts newly found undecryptable (kept as damaged, shown to the person). */
  damaged: number;
  /** Age in ms of the newest record of each class; null when the class is empty. */
  cacheAgeMs: Record<DataClass, number | null>;
  /** IndexedDB in use (false: memory-only fallback). */
  persistent: boolean;
  /** navigator.storage.persisted(): the browser promised not to evict. */
  persistenceGranted: boolean;
  /**
   * Resource types whose last download failed and is not tried again (a 400, a 403), with the
   * stable code: the device's copy lacks them until something changes. State now, not a count.
   */
  downloadsFailing: Record<string, string>;
}

/** Plain inputs, so a test can show exactly what leaves the device. */
export interface MetricsInput {
  outbox: readonly OutboxEntry[];
  cache: Readonly<Record<DataClass, ClassStats>>;
  counters: SyncCounters;
  now: number;
  persistent: boolean;
  persistenceGranted: boolean;
  /** `reportKey`s of conflicts and failures an earlier report counted: each is counted once, not in every report while it waits. */
  reported?: ReadonlySet<string>;
  /** Resource types whose last download failed, with its code (failingDownloads). */
  downloadsFailing?: Readonly<Record<string, string>>;
}

/** Identity of one conflict or failure of an entry (a later conflict of the same entry is a new one). */
export function reportKey(e: OutboxEntry): string {
  return `${e.id}:${e.state}:${e.conflict?.detectedAt ?? e.attempts}`;
}

const SAFE_CODE = /^[a-z0-9-]{1,40}$/;
const SAFE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** Builds the snapshot. Error codes and type names pass a strict pattern or become `other`, so free text never leaks. */
export function metricsSnapshot(input: MetricsInput): ClientMetrics {
  const byState: Record<OutboxState, number> = { pending: 0, 'in-flight': 0, synced: 0, failed: 0, 'needs-review': 0 };
  const conflicts: Record<string, number> = {};
  const failures: Record<string, number> = {};
  let oldest: number | undefined;
  for (const e of input.outbox) {
    byState[e.state] += 1;
    if (e.state !== 'synced') oldest = Math.min(oldest ?? e.createdAt, e.createdAt);
    if (input.reported?.has(reportKey(e))) continue;
    if (e.state === 'needs-review') {
      const type = SAFE_TYPE.test(e.resourceType) ? e.resourceType : 'other';
      conflicts[type] = (conflicts[type] ?? 0) + 1;
    }
    if (e.state === 'failed') {
      const code = e.lastError && SAFE_CODE.test(e.lastError.code) ? e.lastError.code : 'other';
      failures[code] = (failures[code] ?? 0) + 1;
    }
  }
  const age = (s: ClassStats): number | null => (s.newest === undefined ? null : Math.max(0, input.now - s.newest));
  return {
    queueDepth: input.outbox.length - byState.synced,
    byState,
    oldestPendingAgeMs: oldest === undefined ? 0 : Math.max(0, input.now - oldest),
    conflictsByResourceType: conflicts,
    failuresByCode: failures,
    retries: input.counters.retries,
    dropped: input.counters.dropped,
    evicted: input.counters.evicted,
    damaged: input.counters.damaged ?? 0,
    cacheAgeMs: {
      reference: age(input.cache.reference),
      clinical: age(input.cache.clinical),
      drafts: age(input.cache.drafts),
      operational: age(input.cache.operational),
    },
    persistent: input.persistent,
    persistenceGranted: input.persistenceGranted,
    downloadsFailing: Object.fromEntries(
      Object.entries(input.downloadsFailing ?? {}).map(([type, code]) => [SAFE_TYPE.test(type) ? type : 'other', SAFE_CODE.test(code) ? code : 'other']),
    ),
  };
}

/** One target's download in a round, as failingDownloads reads it (run-sync.ts DownloadReport, with its target's type). */
export interface TypedDownload {
  resourceType: string;
  status: 'done' | 'offline' | 'stopped' | 'retry' | 'failed';
  code?: string;
}

/**
 * The types whose downloads are failing after a round: a type with a target that failed (and is
 * not tried again: a 400, a 403) is failing with that target's code; one whose targets all
 * finished is no longer; one the round did not finish (offline, a retry) keeps what it had.
 */
export function failingDownloads(before: Readonly<Record<string, string>>, round: readonly TypedDownload[]): Record<string, string> {
  const next: Record<string, string> = { ...before };
  const types = new Set(round.map((d) => d.resourceType));
  for (const type of types) {
    const mine = round.filter((d) => d.resourceType === type);
    const failed = mine.find((d) => d.status === 'failed');
    if (failed) next[type] = failed.code ?? 'other';
    else if (mine.every((d) => d.status === 'done')) delete next[type];
  }
  return next;
}
