'use client';
import { Suspense, use, type ComponentType } from 'react';
import { useHydrated } from './use-hydrated';
import type { LaterChunk } from './later-chunk';

/**
 * Shown only when a navigation inside the app reaches the page before the view's chunk did. The
 * server draws nothing here: React may send a large view after this placeholder (it streams a
 * large part of a page on its own), and a line flashing before the view on every load would say
 * nothing.
 */
function Loading() {
  return useHydrated() ? (
    <p className="p-3 text-sm text-gray-700" role="status" data-testid="view-loading">
      Loading…
    </p>
  ) : null;
}

/**
 * A page's main view whose code is a chunk of its own (later-chunk.ts), drawn on the server as
 * usual. In the browser React keeps the server's HTML as it is until the chunk has arrived, then
 * brings it to life, while the rest of the page (bar, menu, sync) is already working. The chunk
 * is asked for when the view first renders, which in the browser is as the page's scripts start.
 *
 * What the view reads must not change above it before then: a changed context makes React draw
 * the waiting part again from nothing (the sync provider hands down one object for that reason).
 */
export function laterView<M, P extends object>(chunk: LaterChunk<M>, pick: (module: M) => ComponentType<P>, options: { quiet?: boolean } = {}): ComponentType<P> {
  // A part inside a view (a notice, a drawing) waits quietly; a page's main view says it is loading.
  const fallback = options.quiet ? null : <Loading />;
  function Now(props: P) {
    const View = pick(chunk.loaded ?? use(chunk.load()));
    return <View {...props} />;
  }
  return function Later(props: P) {
    return (
      <Suspense fallback={fallback}>
        <Now {...props} />
      </Suspense>
    );
  };
}
