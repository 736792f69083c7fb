'use client';
import { createElement, useEffect, useState } from 'react';
import { importUntilLoaded } from '@/components/sync/load-offline';

/**
 * Code a page needs after its first screen (a trend, a detail view, what only one audience
 * sees), as a chunk of its own: loaded once per tab when first asked for, asked for again until
 * it arrives (a page opened online may be used offline before it did), and handed over instead
 * by a page that must work with no network from its first load (the offline shell imports the
 * chunk's module itself, so its code is among the page's own scripts that the service worker stores).
 */
export interface LaterChunk<T> {
  load(): Promise<T>;
  provide(module: T): void;
  /** The module once it arrived (or was provided), else undefined. */
  readonly loaded: T | undefined;
}

/** `load` is the chunk's `import()`, written where the chunk's module is named. */
export function laterChunk<T>(load: () => Promise<T>): LaterChunk<T> {
  let loading: Promise<T> | undefined;
  let loaded: T | undefined;
  return {
    load: () =>
      (loading ??= importUntilLoaded(load).then((module) => {
        loaded = module;
        return module;
      })),
    provide(module) {
      if (loading) return;
      loading = Promise.resolve(module);
      loaded = module;
    },
    get loaded() {
      return loaded;
    },
  };
}

/**
 * The chunk's module for a hook that computes with it: undefined until it arrived (asked for on
 * mount), then the module; at once on later mounts.
 */
export function useLaterChunk<T>(chunk: LaterChunk<T>): T | undefined {
  const [module, setModule] = useState<T | undefined>(() => chunk.loaded);
  useEffect(() => {
    if (module) return;
    let live = true;
    void chunk.load().then((m) => {
      if (live) setModule(() => m);
    });
    return () => {
      live = false;
    };
  }, [chunk, module]);
  return module ?? chunk.loaded;
}

/**
 * A component drawn once its chunk arrived, `fallback` (nothing by default) until then: what
 * next/dynamic does for these views, without its code in every page's first load. The server
 * draws the fallback (the chunk is not loaded there), and so does the browser's first render, so
 * the two match.
 */
export function lazyView<T, P extends object>(chunk: LaterChunk<T>, pick: (module: T) => React.ComponentType<P>, fallback: React.ReactNode = null): React.ComponentType<P> {
  return function LazyView(props: P) {
    const module = useLaterChunk(chunk);
    return module ? createElement(pick(module), props) : fallback;
  };
}
