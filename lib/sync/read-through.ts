/**
 * The read-through cache behind the chart and portal views (issue #5, "render from the cache
 * when offline, with each section's age").
 *
 * Model: every answer a view gets from the proxy (a search Bundle, or one resource) is sealed
 * into the partition of its (issuer, user, patient) as one record, keyed by the request path
 * relative to the proxy's FHIR base, with the time it was fetched and the resource types it
 * holds. Reading is **network first**: the EHR's answer is shown whenever it arrives, so a
 * clinician never acts on an old copy while a current one is reachable. Only when the request
 * gets no answer (no connection, the browser is offline, the EHR gateway is down or times out)
 * is the saved answer shown, with the time it was really fetched, never relabelled as new.
 * A refusal (session ended, scope or consent denied, not found) is never papered over with an
 * old copy: the patient's sharing choices and the launch's scopes win over the cache, and a
 * refusal of the data itself (403, 404, 410) also deletes the saved copy, so it cannot come back
 * offline.
 *
 * The cache itself, on the encrypted record store, is answer-cache.ts: it comes with the offline
 * runtime, while every view loads this module.
 *
 * Retention is the record store's: an answer past its class's retention (clinical 72 h,
 * reference 30 days by default) is not returned, so it is never shown as current.
 */

/** A saved answer: the body as the proxy sent it and when it was fetched (ISO time). */
export interface SavedAnswer<T = unknown> {
  body: T;
  fetchedAt: string;
  /** Resource types in the body, so a purge by type finds Bundles that include them. */
  types: string[];
}

/** What a view gets: the answer, when it was fetched, and whether it came from the device. */
export interface ThroughResult<T> {
  body: T;
  fetchedAt: string;
  fromCache: boolean;
}

/** The device cache of proxy answers of one partition. */
export interface AnswerCache {
  read<T>(path: string): Promise<SavedAnswer<T> | undefined>;
  save(path: string, body: unknown, fetchedAt: string): Promise<void>;
  /** Deletes the saved answer of one path. */
  forget(path: string): Promise<void>;
  /** Deletes every saved answer holding any of these types, and the synced server copies of them. Returns how many records. */
  purgeTypes(types: readonly string[]): Promise<number>;
}

/** Why a fetch got no usable answer: `network` (none at all) or the proxy's outcome code with its status. */
export class AnswerError extends Error {
  constructor(readonly status: number, readonly outcome: string) {
    super(outcome);
    this.name = 'AnswerError';
  }
}

/** Failures that mean "the EHR could not be reached", where a saved copy is better than nothing. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof AnswerError)) return false;
  return error.outcome === 'network' || error.outcome === 'upstream-timeout' || error.status === 502 || error.status === 503 || error.status === 504;
}

/**
 * Refusals that mean the saved copy must not be shown later either: the data is no longer shared
 * (scope, consent, compartment) or no longer there.
 */
export function isWithdrawn(error: unknown): boolean {
  return error instanceof AnswerError && (error.status === 403 || error.status === 404 || error.status === 410);
}

/** Side effects of a read-through fetch (STYLE rule 10). */
export interface ReadThroughDeps {
  /** Fetches from the proxy; throws AnswerError. */
  fetchAnswer: (path: string) => Promise<unknown>;
  /**
   * The partition's cache, or the promise of it while it opens (the request does not wait for
   * it); undefined when it could not be opened.
   */
  cache?: AnswerCache | Promise<AnswerCache | undefined> | undefined;
  /** navigator.onLine: false skips the request (it would only wait for a timeout). */
  online: () => boolean;
  now: () => number;
  /** Failures writing the cache are reported, never thrown: the view has its answer. */
  onCacheError?: (error: unknown) => void;
}

/**
 * Network first, the device's copy when the EHR cannot be reached. Saves every answer it gets.
 * Throws the network's error when there is no saved copy either.
 */
export async function readThrough<T>(path: string, deps: ReadThroughDeps): Promise<ThroughResult<T>> {
  let failure: unknown = new AnswerError(0, 'network');
  if (deps.online()) {
    try {
      const body = (await deps.fetchAnswer(path)) as T;
      const fetchedAt = new Date(deps.now()).toISOString();
      void Promise.resolve(deps.cache)
        .then((cache) => cache?.save(path, body, fetchedAt))
        .catch((e: unknown) => deps.onCacheError?.(e));
      return { body, fetchedAt, fromCache: false };
    } catch (error) {
      if (isWithdrawn(error)) {
        // Offline later, an old copy of something the EHR now refuses must not reappear.
        await Promise.resolve(deps.cache).then((cache) => cache?.forget(path)).catch((e: unknown) => deps.onCacheError?.(e));
      }
      if (!isUnreachable(error)) throw error;
      failure = error;
    }
  }
  const saved = await Promise.resolve(deps.cache).then((cache) => cache?.read<T>(path)).catch((e: unknown) => {
    deps.onCacheError?.(e);
    return undefined;
  });
  if (saved) return { body: saved.body, fetchedAt: saved.fetchedAt, fromCache: true };
  throw failure;
}
