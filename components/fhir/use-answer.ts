'use client';
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { answers, type AnswerState } from './answer-store';

export interface AnswerOptions<T> {
  /** Shown while the store has no answer for the key (an answer the page came with). */
  fallback?: T;
  /** Whether the first key asks on mount (default yes; no for an answer the page came with). */
  revalidateOnMount?: boolean;
}

export interface AnswerView<T> {
  data: T | undefined;
  error: unknown;
  /** No answer yet, and one is on its way. */
  isLoading: boolean;
  isValidating: boolean;
}

const NOTHING: AnswerState = { validating: false };
const noSubscription = () => () => {};

/**
 * The store's state of `key` (null: nothing asked), re-rendering when it changes. The server
 * renders with the store empty: the store is filled in the browser only (effects and events).
 */
function useStoreState<T>(key: string | null): AnswerState<T> {
  const subscribe = useCallback((listener: () => void) => (key === null ? noSubscription() : answers.subscribe(key, listener)), [key]);
  const read = useCallback(() => (key === null ? NOTHING : answers.get(key)) as AnswerState<T>, [key]);
  return useSyncExternalStore(subscribe, read, () => NOTHING as AnswerState<T>);
}

/**
 * Until the first effect has run, a key that will be asked for on mount counts as loading, so
 * the server's HTML and the browser's first render both say so (as they did under SWR).
 */
function useMountedOnce(): boolean {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted;
}

/**
 * One answer by key, fetched with `fetcher`: asked for on mount (joined with a request for the
 * same key started within the last two seconds), again whenever the store is told to revalidate
 * the key, and shown to every view of the key.
 */
export function useAnswer<T>(key: string | null, fetcher: (key: string) => Promise<T>, options: AnswerOptions<T> = {}): AnswerView<T> {
  const state = useStoreState<T>(key);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const firstKey = useRef(key);
  const mountedOnce = useMountedOnce();
  const asksOnMount = key !== null && (key !== firstKey.current || options.revalidateOnMount !== false);
  useEffect(() => {
    if (key === null) return;
    const ask = (dedupe: boolean) => answers.revalidate(key, (k) => fetcherRef.current(k), dedupe);
    // A key another mounted view holds in error is not asked again by one more view.
    const erred = answers.mounted(key) && answers.get(key).error !== undefined;
    const unmount = answers.mount(key, () => ask(false));
    if (asksOnMount && !erred) void ask(true);
    return unmount;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- asked once per key
  }, [key]);
  const data = state.data ?? options.fallback;
  const validating = state.validating || (!mountedOnce && asksOnMount && state.data === undefined && state.error === undefined);
  return { data, error: state.error, isLoading: validating && data === undefined, isValidating: validating };
}

export interface PagesView<T> {
  pages: T[];
  error: unknown;
  isLoading: boolean;
  /** A next page is on its way. */
  isLoadingMore: boolean;
  loadMore(): void;
}

/**
 * A first answer and the pages after it (`nextKey` of the last page; null when there is none),
 * kept in the store under `pages:` + the first key. The first page is asked for on mount unless
 * the store or the fallback has it; `loadMore` fetches the next page. A revalidation of the key
 * asks for the first page again and drops the pages after it (they are asked for again on
 * request), so nothing a new answer would no longer show stays on screen.
 */
export function useAnswerPages<T>(firstKey: string | null, nextKey: (last: T) => string | null, fetcher: (key: string) => Promise<T>, options: { fallback?: T[]; revalidateOnMount?: boolean } = {}): PagesView<T> {
  const key = firstKey === null ? null : `pages:${firstKey}`;
  const state = useStoreState<T[]>(key);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const [loadingMore, setLoadingMore] = useState(false);
  const mountedOnce = useMountedOnce();
  const fallback = useRef(options.fallback);
  const asksOnMount = key !== null && options.revalidateOnMount !== false;
  useEffect(() => {
    if (key === null || firstKey === null) return;
    const first = () => answers.revalidate(key, async () => [await fetcherRef.current(firstKey)], false);
    // The pages the page came with are the store's until a revalidation replaces them.
    if (answers.get(key).data === undefined && fallback.current) answers.write(key, { data: fallback.current, validating: false });
    const unmount = answers.mount(key, first);
    if (asksOnMount && answers.get(key).data === undefined) void first();
    return unmount;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- asked once per key
  }, [key]);
  const pages = state.data ?? options.fallback ?? [];
  const loadMore = useCallback(() => {
    if (key === null) return;
    const shown = answers.get<T[]>(key).data ?? [];
    const last = shown[shown.length - 1];
    const next = last === undefined ? null : nextKey(last);
    if (next === null) return;
    setLoadingMore(true);
    void fetcherRef.current(next).then(
      (page) => {
        // Only onto the list it was asked for: a revalidation meanwhile started the list again.
        if (answers.get<T[]>(key).data === shown) answers.write(key, { data: [...shown, page], validating: false });
      },
      (error: unknown) => answers.write(key, { ...answers.get(key), error }),
    ).finally(() => setLoadingMore(false));
  }, [key, nextKey]);
  const validating = state.validating || (!mountedOnce && asksOnMount && pages.length === 0 && state.error === undefined);
  return { pages, error: state.error, isLoading: validating && pages.length === 0, isLoadingMore: loadingMore, loadMore };
}
