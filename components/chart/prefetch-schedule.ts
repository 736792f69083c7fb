/**
 * When the chart refreshes its prefetched views: once after the first screen, then only when the
 * clinician comes back to it (the window gains focus or the tab becomes visible) or the network
 * returns. Not on a timer: an open chart left alone costs the EHR nothing.
 *
 * Kept apart from React and the DOM globals so the schedule can be tested in Node.
 */
export interface PrefetchTriggers {
  /** The window: `focus` and `online` events. */
  win: EventTarget;
  /** The document: `visibilitychange` events. */
  doc: EventTarget & { readonly visibilityState: string };
  isOnline(): boolean;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export interface PrefetchTiming {
  /** After the first screen has had its requests. */
  firstDelayMs: number;
  /** Focus and visibility arrive together and often: at most one refresh within this gap. */
  minGapMs: number;
}

export const PREFETCH_TIMING: PrefetchTiming = { firstDelayMs: 1_500, minGapMs: 60_000 };

/** Starts the schedule; the returned function stops it. */
export function schedulePrefetch(run: () => void, t: PrefetchTriggers, timing: PrefetchTiming = PREFETCH_TIMING): () => void {
  let last = -Infinity;
  const attempt = (force: boolean) => {
    if (!t.isOnline()) return;
    const now = t.now();
    if (!force && now - last < timing.minGapMs) return;
    last = now;
    run();
  };
  const first = t.setTimer(() => attempt(true), timing.firstDelayMs);
  const onFocus = () => attempt(false);
  const onVisible = () => {
    if (t.doc.visibilityState === 'visible') attempt(false);
  };
  // Back online: the views may have lapsed while the network was gone, so refresh at once.
  const onOnline = () => attempt(true);
  t.win.addEventListener('focus', onFocus);
  t.win.addEventListener('online', onOnline);
  t.doc.addEventListener('visibilitychange', onVisible);
  return () => {
    t.clearTimer(first);
    t.win.removeEventListener('focus', onFocus);
    t.win.removeEventListener('online', onOnline);
    t.doc.removeEventListener('visibilitychange', onVisible);
  };
}
