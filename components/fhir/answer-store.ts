/**
 * The views' shared answers, keyed by request (a proxy URL): one request per key at a time, the
 * answer every view of that key shows, and revalidation on demand. What the views needed of SWR,
 * in a fraction of its code, so every portal and chart page loads less (issue 16):
 *
 * - a key asked for again within `DEDUPE_MS` of its last request joins that request (two views
 *   of one search make one request);
 * - a revalidation (`revalidateWhere`, the connection coming back) starts a new request, and
 *   only the latest request's outcome is kept: an older one answering late changes nothing;
 * - an error keeps the answer shown before it (a saved copy stays on screen);
 * - `set` puts an answer known otherwise (one the page came with) and discards requests in flight.
 *
 * Holds proxy URLs and the answers the views show, in this tab's memory only. No React here:
 * the hooks are use-answer.ts.
 */

export interface AnswerState<T = unknown> {
  data?: T;
  error?: unknown;
  /** A request for the key is in flight. */
  validating: boolean;
}

type Revalidator = () => Promise<void>;

/** A request for a key within this long of the last one joins it instead of starting another. */
export const DEDUPE_MS = 2_000;

const IDLE: AnswerState = { validating: false };

export interface AnswerStore {
  get<T>(key: string): AnswerState<T>;
  subscribe(key: string, listener: () => void): () => void;
  /** Asks for `key` with `fetcher`; with `dedupe`, joins a request started within DEDUPE_MS. */
  revalidate<T>(key: string, fetcher: (key: string) => Promise<T>, dedupe: boolean): Promise<void>;
  /** Puts an answer known otherwise; requests in flight for the key are discarded. */
  set<T>(key: string, data: T): void;
  /** Changes a key's state directly (the paged views keep their list of pages here). */
  write<T>(key: string, next: AnswerState<T>): void;
  /** A view showing `key` is mounted: `revalidator` asks again for it. Returns the unmount. */
  mount(key: string, revalidator: Revalidator): () => void;
  /** Whether some mounted view shows `key`. */
  mounted(key: string): boolean;
  /**
   * Every key matching `filter` is asked for again: at once where a view shows it, and on its
   * next mount otherwise (its last request no longer joined). Resolves when those requests settle.
   */
  revalidateWhere(filter: (key: string) => boolean): Promise<void>;
}

interface Flight {
  startedAt: number;
  promise: Promise<void>;
}

/** Adds `item` to the set under `key`; returns its removal, which drops the set once empty. */
function addTo<T>(sets: Map<string, Set<T>>, key: string, item: T): () => void {
  let set = sets.get(key);
  if (!set) sets.set(key, (set = new Set()));
  set.add(item);
  return () => {
    set.delete(item);
    if (set.size === 0) sets.delete(key);
  };
}

export function createAnswerStore(now: () => number = Date.now): AnswerStore {
  const states = new Map<string, AnswerState>();
  const listeners = new Map<string, Set<() => void>>();
  const views = new Map<string, Set<Revalidator>>();
  const flights = new Map<string, Flight>();

  const write = (key: string, next: AnswerState) => {
    states.set(key, next);
    for (const listener of listeners.get(key) ?? []) listener();
  };
  const get = <T>(key: string) => (states.get(key) ?? IDLE) as AnswerState<T>;

  const store: AnswerStore = {
    get,
    subscribe: (key, listener) => addTo(listeners, key, listener),
    revalidate(key, fetcher, dedupe) {
      const last = flights.get(key);
      if (dedupe && last && now() - last.startedAt < DEDUPE_MS) return last.promise;
      const flight: Flight = { startedAt: now(), promise: Promise.resolve() };
      flights.set(key, flight);
      write(key, { ...get(key), validating: true });
      const current = () => flights.get(key) === flight;
      flight.promise = fetcher(key).then(
        (data) => {
          if (current()) write(key, { data, validating: false });
        },
        (error: unknown) => {
          if (current()) write(key, { ...get(key), error, validating: false });
        },
      );
      return flight.promise;
    },
    set(key, data) {
      flights.delete(key);
      write(key, { data, validating: false });
    },
    write,
    mount: (key, revalidator) => addTo(views, key, revalidator),
    mounted: (key) => (views.get(key)?.size ?? 0) > 0,
    async revalidateWhere(filter) {
      const asks: Promise<void>[] = [];
      for (const key of new Set([...states.keys(), ...views.keys()])) {
        if (!filter(key)) continue;
        // Not joined by the next mount's request: that view asks afresh.
        flights.delete(key);
        const first = views.get(key)?.values().next().value;
        if (first) asks.push(first());
      }
      await Promise.all(asks);
    },
  };
  return store;
}

/** The tab's store, shared by every view, the device cache and sync (fhir-cache.tsx, sync-provider.tsx). */
export const answers: AnswerStore = createAnswerStore();

/**
 * Every view showing an answer whose key matches `filter` asks again (see revalidateWhere);
 * `() => true` for all. What `mutate(filter)` was under SWR.
 */
export function revalidateAnswers(filter: (key: string) => boolean): Promise<void> {
  return answers.revalidateWhere(filter);
}
