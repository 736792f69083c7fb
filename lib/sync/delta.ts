/**
 * Delta download, the pure half: which strategy a server allows, which request comes first,
 * and how a page of results folds into cache changes and the next cursor.
 *
 * Strategies, best first (DESIGN §1 Sync):
 * - `history`: `_history?_since=` (FHIR R4 §3.1.0.10) reports every change including
 *   deletions. Newest version first, so the first time an id appears in a run wins.
 * - `last-updated`: `_lastUpdated=ge{since − overlap}` (§3.1.1.5.3). Cannot see deletions. The
 *   overlap absorbs server commit-time skew (and Oracle Health's delayed "clinically significant"
 *   updates); the duplicates it brings are dropped by id + version key.
 * - `full`: refetch everything and compare content hashes (servers without `meta.versionId`);
 *   ids that are no longer returned are deletions.
 *
 * Cursors are server time (a Bundle's `meta.lastUpdated`, else the response `Date` header),
 * never the device clock, whose skew would silently skip changes. A run that stops part-way
 * stores `resume` (the next page link) with each applied page; `since` only moves when the last
 * page has been stored.
 *
 * Paging: searches are sorted by `_id`, so an edit never moves a resource between pages; a
 * creation or deletion still can, which shows as a change of the Bundle's `total` between pages:
 * such a run does not move `since` (the next run asks again from the same point). An id that a
 * whole run no longer returns is deleted only once a read answers 404 or 410 (download.ts).
 *
 * Sweeps: a `history` or `last-updated` target is now and then refetched whole, as `full` is
 * every time, and compared with the ids it holds (`held`): deletions that `_lastUpdated` cannot
 * report, and changes a server leaves out of it (Oracle Health reports only "clinically
 * significant" updates there), reach the cache. A sweep is due when `sweepEveryMs` have passed
 * on the device clock since the last whole pass (a schedule, not a cursor: skew only moves it
 * a little), or when a stored record of the type failed to decrypt and was dropped
 * (lib/offline): a dropped record is fetched again, never left missing because the cursor is
 * already past it.
 */
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';

/** How a type is kept fresh, best first: history (sees deletions), _lastUpdated, full refetch. */
export type DeltaStrategy = 'history' | 'last-updated' | 'full';

/** One thing to keep fresh: a resource type (scoped by the proxy's compartment or by params) or one instance. */
export interface DownloadTarget {
  /** Cursor key, unique per target: `Observation`, `Patient/pat-001`. */
  key: string;
  resourceType: string;
  /** Sync one instance (the patient in context). */
  id?: string;
  /** Search parameters that scope the type (`{ patient: 'pat-001' }`); the proxy also enforces the compartment. */
  params?: Readonly<Record<string, string>>;
  /**
   * `full`: refetch and compare whatever the server offers (one instance: a read costs what its
   * history would, and confirms the copy every run).
   */
  prefer?: 'full';
}

/** Where a target's download stands; stored with each page in the same transaction. */
export interface Cursor {
  strategy: DeltaStrategy;
  /** Server time (ISO) up to which changes are stored. */
  since?: string;
  /** Version keys (versionId or content hash) by id: the overlap window (history, last-updated) or every id held (full). */
  seen?: Record<string, string>;
  /** Ids this target holds in the cache (history, last-updated; `full` keeps them in `seen`), for a sweep to find deletions. */
  held?: string[];
  /** Device time the last whole pass (the first run or a sweep) was stored. */
  sweptOn?: number;
  /** Device time a sweep for dropped records last began: a drop after it asks for another. */
  refetchedAt?: number;
  /**
   * An unfinished run; `sweep` when it is a sweep (see the module comment); `total` the first
   * page's Bundle.total and `shifted` when a later page's differed.
   */
  resume?: { url: string; startedAt?: string; seen: Record<string, string>; sweep?: Sweep; total?: number; shifted?: true };
}

/** Why a run refetches the whole target and compares: time (`periodic`) or a dropped record (`refetch`, which also ignores known versions). */
export interface Sweep {
  reason: 'periodic' | 'refetch';
  /** Device time the sweep began (for `refetchedAt`). */
  at: number;
}

/** Whether the next run of a target should be a sweep. Pure. */
export function sweepFor(strategy: DeltaStrategy, cursor: Cursor | undefined, options: { sweepEveryMs?: number; droppedAt?: number; now: number }): Sweep | undefined {
  if (cursor?.since === undefined) return undefined; // the first run is a whole pass already
  if (options.droppedAt !== undefined && options.droppedAt > (cursor.refetchedAt ?? -Infinity)) return { reason: 'refetch', at: options.now };
  if (strategy === 'full' || options.sweepEveryMs === undefined) return undefined;
  if (cursor.sweptOn === undefined || options.now - cursor.sweptOn >= options.sweepEveryMs) return { reason: 'periodic', at: options.now };
  return undefined;
}

/** Picks the strategy from the CapabilityStatement's entry for the type. */
export function chooseStrategy(capability: CapabilityStatement | undefined, target: DownloadTarget): DeltaStrategy {
  if (target.prefer === 'full') return 'full';
  const rest = capability?.rest?.find((r) => r.mode === 'server') ?? capability?.rest?.[0];
  const resource = rest?.resource?.find((r) => r.type === target.resourceType);
  if (!resource) return 'full';
  const interactions = new Set((resource.interaction ?? []).map((i) => i.code));
  const versioned = resource.versioning !== 'no-version';
  // Type history cannot be narrowed by search parameters: only where the server scopes it.
  const historyLevel = target.id !== undefined ? 'history-instance' : target.params ? undefined : 'history-type';
  if (versioned && historyLevel && interactions.has(historyLevel)) return 'history';
  const params = [...(resource.searchParam ?? []), ...(rest?.searchParam ?? [])].map((p) => p.name);
  if (interactions.has('search-type') && params.includes('_lastUpdated')) return 'last-updated';
  return 'full';
}

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/**
 * The first request of a run. Without a `since`, and in a sweep, every strategy begins with a plain
 * search. Searches are sorted by `_id` (FHIR R4 §3.1.1.5.6), an order no edit changes: with live
 * `_offset` paging, an order an edit changes (such as `_lastUpdated`) moves the edited resource
 * to the end and shifts a neighbour back across a page boundary, unseen (review probe b3).
 */
export function firstRequestUrl(target: DownloadTarget, strategy: DeltaStrategy, cursor: Cursor | undefined, overlapMs: number, pageSize?: number, sweep?: Sweep): string {
  const scope: Record<string, string> = { ...(target.id !== undefined ? { _id: target.id } : {}), ...target.params, _sort: '_id', ...(pageSize ? { _count: String(pageSize) } : {}) };
  const since = cursor?.since !== undefined && strategy !== 'full' && !sweep ? new Date(Date.parse(cursor.since) - overlapMs).toISOString() : undefined;
  if (since && strategy === 'history') {
    const path = target.id !== undefined ? `${target.resourceType}/${encodeURIComponent(target.id)}/_history` : `${target.resourceType}/_history`;
    return `${path}?${query({ _since: since, ...(pageSize ? { _count: String(pageSize) } : {}) })}`;
  }
  if (since && strategy === 'last-updated') return `${target.resourceType}?${query({ ...scope, _lastUpdated: `ge${since}` })}`;
  const qs = query(scope);
  return qs ? `${target.resourceType}?${qs}` : target.resourceType;
}

/** One change read from a page: a resource version or a deletion. */
export interface PageChange {
  id: string;
  resource?: Resource;
  deleted: boolean;
  /** When the change happened (meta.lastUpdated, or a history entry's response.lastModified). */
  lastUpdated?: string;
  /** versionId, or content hash for versionless servers; filled in before folding. */
  versionKey?: string;
}

const DELETED = 'deleted';

/** The target type's changes on a page, in Bundle order; `_include`d and OperationOutcome entries are skipped. */
export function readPage(bundle: Bundle, resourceType: string): PageChange[] {
  const out: PageChange[] = [];
  for (const entry of bundle.entry ?? []) {
    if (entry.search?.mode === 'include' || entry.search?.mode === 'outcome') continue;
    const resource = entry.resource;
    if (entry.request?.method === 'DELETE' || (!resource && entry.request)) {
      const url = entry.request?.url ?? entry.fullUrl ?? '';
      const match = url.match(/([A-Za-z]+)\/([^/?#]+)(?:\/_history\/[^/]+)?$/);
      const at = entry.response?.lastModified;
      if (match?.[1] === resourceType && match[2]) out.push({ id: match[2], deleted: true, ...(at ? { lastUpdated: at } : {}) });
      continue;
    }
    const at = resource?.meta?.lastUpdated;
    if (resource?.resourceType === resourceType && resource.id) out.push({ id: resource.id, resource, deleted: false, ...(at ? { lastUpdated: at } : {}) });
  }
  return out;
}

/** The Bundle's `next` paging link (FHIR R4 §3.1.1.4.3), if any. */
export function nextLink(bundle: Bundle): string | undefined {
  return bundle.link?.find((l) => l.relation === 'next')?.url;
}

/** Server time of a response: the Bundle's meta.lastUpdated, else the Date header. Never the device clock. */
export function serverTime(bundle: Bundle | undefined, dateHeader: string | undefined): string | undefined {
  const stamp = bundle?.meta?.lastUpdated ?? dateHeader;
  if (!stamp) return undefined;
  const ms = Date.parse(stamp);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** What one page contributes: resources to store, ids to delete, and version keys seen so far. */
export interface Fold {
  upserts: Resource[];
  deletes: string[];
  /** Unchanged copies a whole run confirmed: stored again, which refreshes their stored-at time. */
  confirmed: Resource[];
  /** This run's version keys by id so far. */
  seen: Record<string, string>;
}

/**
 * Folds one page into changes. Each change carries its version key (one id may appear several
 * times in a history page, once per version). `whole` marks a run that began with a plain
 * search (the first run, or a sweep); `known` is the cursor's version keys: an unchanged copy is
 * not an upsert (empty for a sweep that refetches dropped records), but a whole run returns it as
 * `confirmed`, so its stored-at time says when it was last known current (a record synced every
 * hour is never shown as saved days ago, nor expired) and a copy lost from the cache comes back.
 */
export function foldPage(strategy: DeltaStrategy, whole: boolean, changes: readonly PageChange[], known: Readonly<Record<string, string>>, runSeen: Readonly<Record<string, string>>): Fold {
  const seen = { ...runSeen };
  const upserts: Resource[] = [];
  const deletes: string[] = [];
  const confirmed: Resource[] = [];
  for (const change of changes) {
    const key = change.deleted ? DELETED : (change.versionKey ?? '');
    // History lists newest first: a later entry for an id is an older version.
    if (strategy === 'history' && !whole && change.id in seen) continue;
    // Unchanged (full) or a duplicate brought back by the overlap window (history, last-updated).
    const again = seen[change.id] === key;
    const duplicate = again || known[change.id] === key;
    seen[change.id] = key;
    if (duplicate) {
      if (whole && !again && change.resource) confirmed.push(change.resource);
      continue;
    }
    if (change.deleted) deletes.push(change.id);
    else if (change.resource) upserts.push(change.resource);
  }
  return { upserts, deletes, confirmed, seen };
}

/**
 * The cursor once the last page is stored. Full refetch and sweeps: ids held before but not
 * returned now are deletions. History and last-updated: keep only version keys inside the next
 * run's overlap window, and the ids held (for the next sweep).
 */
export function completeRun(
  strategy: DeltaStrategy,
  cursor: Cursor | undefined,
  runSeen: Record<string, string>,
  startedAt: string | undefined,
  lastUpdatedOf: ReadonlyMap<string, string>,
  overlapMs: number,
  sweep: Sweep | undefined,
  deviceNow: number,
): { cursor: Cursor; deletes: string[] } {
  const since = startedAt ?? cursor?.since;
  const whole = sweep !== undefined || cursor?.since === undefined;
  const swept = whole ? deviceNow : cursor?.sweptOn;
  const refetched = sweep?.reason === 'refetch' ? { refetchedAt: sweep.at } : cursor?.refetchedAt !== undefined ? { refetchedAt: cursor.refetchedAt } : {};
  const stamps = { ...(since ? { since } : {}), ...(swept !== undefined ? { sweptOn: swept } : {}), ...refetched };
  if (strategy === 'full') {
    const deletes = Object.keys(cursor?.seen ?? {}).filter((id) => !(id in runSeen));
    return { cursor: { strategy, ...stamps, seen: runSeen }, deletes };
  }
  const before = new Set([...(cursor?.held ?? []), ...Object.keys(cursor?.seen ?? {}).filter((id) => cursor?.seen?.[id] !== DELETED)]);
  const present = Object.keys(runSeen).filter((id) => runSeen[id] !== DELETED);
  const deletes = whole ? [...before].filter((id) => !(id in runSeen)) : [];
  const held = whole ? present : [...new Set([...before, ...present])].filter((id) => runSeen[id] !== DELETED);
  // Keep only what the next run's overlap window can bring back (a resource without a time is
  // kept; a deletion without one is not: deleting twice is harmless).
  const edge = since ? Date.parse(since) - overlapMs : -Infinity;
  const seen = Object.fromEntries(
    Object.entries(runSeen).filter(([id, key]) => {
      const at = lastUpdatedOf.get(id);
      return at === undefined ? key !== DELETED : Date.parse(at) >= edge;
    }),
  );
  return { cursor: { strategy, ...stamps, seen, held: held.sort() }, deletes };
}
