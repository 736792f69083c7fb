'use client';
import type { useRouter } from 'next/navigation';
import { LIST_SECTION_IDS, type SectionId } from '@/lib/fhir/compose/requests';
import { trendCode } from '@/components/ui/trend-chunk';
import { loadChartViews } from './chart-chunk';
import { chartPath } from './chart-paths';
import { schedulePrefetch } from './prefetch-schedule';

type Router = ReturnType<typeof useRouter>;
const VIEWS: (SectionId | 'note' | undefined)[] = [undefined, 'results', 'vitals', 'note', ...LIST_SECTION_IDS];
type PrefetchOptions = NonNullable<Parameters<Router['prefetch']>[1]>;
/**
 * A full prefetch (the page itself, not only its static shell): `router.prefetch` defaults to a
 * partial one, which for these dynamic pages holds nothing to render offline. `PrefetchKind` is
 * not exported from a public path, so its value is named here.
 */
const FULL = { kind: 'full' as PrefetchOptions['kind'] };

/**
 * Keeps every chart view in the router cache, so moving between sections works on a ward with
 * no Wi-Fi: the views hold no clinical data (that comes through the device cache), only the
 * launch's frame. Prefetched once the first screen has had its requests, and again when the
 * clinician comes back to the chart or the network returns (`schedulePrefetch`), and a view the
 * clinician has just left (`prefetchView`, chart-prefetch.tsx); the router keeps
 * them for `staleTimes.static` (next.config.ts), an hour here. A chunk of its own
 * (chart-prefetch.tsx): nothing of it is needed before the first screen. Returns the stop.
 */
/** Prefetches one chart view again (chart-prefetch.tsx: the view the clinician just left). */
export function prefetchView(path: string, router: Router): void {
  router.prefetch(path, FULL);
}

export function startChartPrefetch(launchId: string, router: Router): () => void {
  const prefetchAll = () => {
    // The views' code too, so a section opened with no network has it (chart-code.tsx).
    void loadChartViews();
    void trendCode.load();
    for (const view of VIEWS) router.prefetch(chartPath(launchId, view), FULL);
    router.prefetch(`/l/${launchId}/chart/review`, FULL);
  };
  return schedulePrefetch(prefetchAll, {
    win: window,
    doc: document,
    isOnline: () => navigator.onLine,
    now: () => performance.now(),
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (h) => window.clearTimeout(h as number),
  });
}
