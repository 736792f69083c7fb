/**
 * Delta download, the driver: fetches a target's pages through the injected transport and
 * stores each page with its cursor in one store transaction (see delta.ts for the model).
 *
 * Guarantees:
 * - A failure mid-way (network, 401 when the launch's token expired, 429) never advances
 *   `since`; the last stored page's `resume` link is where the next run continues, so no page
 *   is skipped. A resume link the server no longer honours (paging tokens expire) restarts the
 *   run from `since`; re-applying pages is idempotent.
 * - Deletions reach the cache (history entries, or ids missing from a full refetch or a sweep,
 *   each confirmed by a read that answers 404 or 410: pages can shift while paging).
 * - Searches page in `_id` order; a run whose Bundle.total changed between pages does not move
 *   `since` (delta.ts).
 * - A record that failed to decrypt and was dropped is fetched again: the next run of its type
 *   is a sweep that stores every copy anew (delta.ts).
 * - Server data never overwrites a resource with an unsettled local change: the store filters
 *   each page through the outbox at commit time (STYLE rule 14).
 */
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { contentHash, type ContentHasher } from './content-hash';
import { chooseStrategy, completeRun, firstRequestUrl, foldPage, nextLink, readPage, serverTime, sweepFor, type Cursor, type DeltaStrategy, type DownloadTarget } from './delta';
import type { Transport, TransportResponse } from './ports';
import type { SyncStore } from './sync-store';
import { parseRetryAfter } from './schedule';
import { outcomeCodeOf } from './upload';

/** Side effects and tuning for a download (STYLE rule 10). */
export interface DownloadDeps {
  transport: Transport;
  store: SyncStore;
  capability?: CapabilityStatement;
  hash?: ContentHasher;
  /** Overlap subtracted from `since` (default 5 minutes). */
  overlapMs?: number;
  pageSize?: number;
  /**
   * Time between whole refetches of a `history` or `last-updated` target (delta.ts sweeps;
   * default a day). Shorter for a server whose `_lastUpdated` leaves changes out.
   */
  sweepEveryMs?: number;
  /** Device clock: an HTTP-date Retry-After without a Date header, and scheduling sweeps (never cursors). */
  now?: () => number;
}

/** Default time between sweeps (delta.ts). */
export const DEFAULT_SWEEP_EVERY_MS = 24 * 60 * 60_000;

/** How a target's run ended; only `done` moved `since`. */
export type DownloadStatus = 'done' | 'offline' | 'stopped' | 'retry' | 'failed';

/** What a run did, for the coordinator and metrics (counts only). */
export interface DownloadReport {
  key: string;
  strategy: DeltaStrategy;
  status: DownloadStatus;
  pages: number;
  upserts: number;
  deletes: number;
  /** Server changes held back because a local change to the same resource is unsettled. */
  skippedPending: number;
  /** Unchanged copies a whole run stored again (their stored-at time refreshed). */
  confirmed?: number;
  /** This run refetched the whole target and compared (delta.ts sweeps). */
  sweep?: 'periodic' | 'refetch';
  error?: { code: string; status?: number };
  retryAfterMs?: number;
}

const DEFAULT_OVERLAP_MS = 5 * 60_000;

async function fetchPage(transport: Transport, url: string): Promise<{ ok: true; bundle: Bundle; response: TransportResponse } | { ok: false; response?: TransportResponse }> {
  let response: TransportResponse;
  try {
    response = await transport({ method: 'GET', url });
  } catch {
    return { ok: false };
  }
  const body = response.body as Bundle | undefined;
  if (response.status === 200 && body?.resourceType === 'Bundle') return { ok: true, bundle: body, response };
  return { ok: false, response };
}

function failure(response: TransportResponse | undefined, now: number): Pick<DownloadReport, 'status' | 'error' | 'retryAfterMs'> {
  if (!response) return { status: 'offline' };
  const error = { code: outcomeCodeOf(response.body) ?? `http-${response.status}`, status: response.status };
  if (response.status === 401) return { status: 'stopped', error };
  if (response.status === 429 || response.status === 503 || response.status >= 500 || response.status === 408) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], response.headers.date, now);
    return { status: 'retry', error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  return { status: 'failed', error };
}

/**
 * Reads each id a whole run no longer returned: 404 or 410 confirms the deletion; a copy that is
 * still there is kept (and stored), and so is one that could not be read (network, 5xx), with the
 * version the cursor knew, to be compared again next run.
 */
async function confirmGone(ids: readonly string[], target: DownloadTarget, deps: DownloadDeps, hash: ContentHasher): Promise<{ kept: { id: string; key: string; resource?: Resource; lastUpdated?: string }[] }> {
  const kept: { id: string; key: string; resource?: Resource; lastUpdated?: string }[] = [];
  const known = (await deps.store.loadCursor(target.key))?.seen ?? {};
  for (const id of ids) {
    let response: TransportResponse | undefined;
    try {
      response = await deps.transport({ method: 'GET', url: `${target.resourceType}/${encodeURIComponent(id)}` });
    } catch {
      response = undefined;
    }
    if (response && (response.status === 404 || response.status === 410)) continue;
    const body = response?.status === 200 ? (response.body as Resource | undefined) : undefined;
    if (body?.resourceType === target.resourceType && body.id === id) {
      kept.push({ id, key: body.meta?.versionId ?? (await hash(body)), resource: body, ...(body.meta?.lastUpdated ? { lastUpdated: body.meta.lastUpdated } : {}) });
    } else {
      kept.push({ id, key: known[id] ?? '' });
    }
  }
  return { kept };
}

/** Brings one target's cache up to date with the server, page by page. */
export async function downloadTarget(target: DownloadTarget, deps: DownloadDeps): Promise<DownloadReport> {
  const hash = deps.hash ?? contentHash;
  const overlapMs = deps.overlapMs ?? DEFAULT_OVERLAP_MS;
  const strategy = chooseStrategy(deps.capability, target);
  const stored = await deps.store.loadCursor(target.key);
  let cursor = stored?.strategy === strategy ? stored : undefined;
  const now = deps.now ?? Date.now;
  const sweep = cursor?.resume ? cursor.resume.sweep : sweepFor(strategy, cursor, { sweepEveryMs: deps.sweepEveryMs ?? DEFAULT_SWEEP_EVERY_MS, droppedAt: await deps.store.droppedAt(target.resourceType), now: now() });
  const report: DownloadReport = { key: target.key, strategy, status: 'done', pages: 0, upserts: 0, deletes: 0, skippedPending: 0, confirmed: 0, ...(sweep ? { sweep: sweep.reason } : {}) };
  // A full refetch is whole every time: what it returns unchanged is confirmed current.
  const whole = strategy === 'full' || cursor?.since === undefined || sweep !== undefined;
  let url = cursor?.resume?.url ?? firstRequestUrl(target, strategy, cursor, overlapMs, deps.pageSize, sweep);
  let startedAt = cursor?.resume?.startedAt;
  let runSeen: Record<string, string> = cursor?.resume?.seen ?? {};
  let total = cursor?.resume?.total;
  let shifted = cursor?.resume?.shifted;
  const lastUpdatedOf = new Map<string, string>();
  let restarted = false;

  for (;;) {
    const page = await fetchPage(deps.transport, url);
    if (!page.ok) {
      const status = page.response?.status;
      if (cursor?.resume && !restarted && status !== undefined && [400, 404, 410].includes(status)) {
        // The server forgot the paging link: start this run again from `since`.
        restarted = true;
        const { resume: _forgotten, ...rest } = cursor;
        cursor = rest;
        url = firstRequestUrl(target, strategy, cursor, overlapMs, deps.pageSize, sweep);
        startedAt = undefined;
        runSeen = {};
        total = undefined;
        shifted = undefined;
        continue;
      }
      return { ...report, ...failure(page.response, now()) };
    }
    report.pages += 1;
    startedAt ??= serverTime(page.bundle, page.response.headers.date);
    // The result set changed while paging (a creation or deletion moved entries across pages).
    if (page.bundle.type === 'searchset' && page.bundle.total !== undefined) {
      if (total === undefined) total = page.bundle.total;
      else if (total !== page.bundle.total) shifted = true;
    }
    const changes = readPage(page.bundle, target.resourceType);
    for (const c of changes) {
      if (c.lastUpdated && !lastUpdatedOf.has(c.id)) lastUpdatedOf.set(c.id, c.lastUpdated);
      if (c.resource) c.versionKey = c.resource.meta?.versionId ?? (await hash(c.resource));
    }
    // A sweep for dropped records stores every copy again, even one whose version the cursor knows.
    const fold = foldPage(strategy, whole, changes, sweep?.reason === 'refetch' ? {} : (cursor?.seen ?? {}), runSeen);
    runSeen = fold.seen;
    const next = nextLink(page.bundle);
    let deletes = fold.deletes;
    let nextCursor: Cursor;
    let upserts = fold.upserts;
    if (next) {
      nextCursor = { ...(cursor ?? { strategy }), strategy, resume: { url: next, ...(startedAt ? { startedAt } : {}), seen: runSeen, ...(sweep ? { sweep } : {}), ...(total !== undefined ? { total } : {}), ...(shifted ? { shifted } : {}) } };
    } else {
      // A run whose result set shifted does not move `since`: the next run asks from the same point.
      const since = shifted ? cursor?.since : startedAt;
      let done = completeRun(strategy, cursor, runSeen, since, lastUpdatedOf, overlapMs, sweep, now());
      // An id no longer returned is deleted only when a read says it is gone: it may have been
      // displaced across a page boundary instead (review probe b3).
      const confirmed = await confirmGone(done.deletes, target, deps, hash);
      if (confirmed.kept.length) {
        for (const kept of confirmed.kept) {
          runSeen = { ...runSeen, [kept.id]: kept.key };
          if (kept.resource) upserts = [...upserts, kept.resource];
          if (kept.lastUpdated) lastUpdatedOf.set(kept.id, kept.lastUpdated);
        }
        done = completeRun(strategy, cursor, runSeen, since, lastUpdatedOf, overlapMs, sweep, now());
      }
      nextCursor = done.cursor;
      deletes = [...deletes, ...done.deletes];
    }
    const applied = await deps.store.applyServerChanges({ resourceType: target.resourceType, upserts, deletes, confirmed: fold.confirmed }, { key: target.key, value: nextCursor });
    report.upserts += applied.upserts;
    report.confirmed = (report.confirmed ?? 0) + applied.confirmed;
    report.deletes += applied.deletes;
    report.skippedPending += applied.skipped;
    cursor = nextCursor;
    if (!next) return report;
    url = next;
  }
}

/** Downloads every target in order; a stop (401) or offline ends the round, other failures do not. */
export async function downloadAll(targets: readonly DownloadTarget[], deps: DownloadDeps): Promise<DownloadReport[]> {
  const reports: DownloadReport[] = [];
  for (const target of targets) {
    const report = await downloadTarget(target, deps);
    reports.push(report);
    if (report.status === 'stopped' || report.status === 'offline') break;
  }
  return reports;
}
