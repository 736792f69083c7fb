'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { LIST_SECTIONS, type SectionId } from '@/lib/fhir';
import { chartPath } from './chart-paths';

const VIEWS: (SectionId | 'note' | undefined)[] = [undefined, 'results', 'vitals', 'note', ...(Object.keys(LIST_SECTIONS) as SectionId[])];
/** Prefetched views stay in the router cache this long (Next's staleTimes.static): refresh before they lapse. */
const REFRESH_MS = 60_000;
type PrefetchOptions = NonNullable<Parameters<ReturnType<typeof useRouter>['prefetch']>[1]>;
/**
 * A full prefetch (the page itself, not only its static shell): `router.prefetch` defaults to a
 * partial one, which for these dynamic pages holds nothing to render offline. `PrefetchKind` is
 * not exported from a public path, so its value is named here.
 */
const FULL = { kind: 'full' as PrefetchOptions['kind'] };

/**
 * Keeps every chart view in the router cache, so moving between sections works on a ward with
 * no Wi-Fi: the views hold no clinical data (that comes through the device cache), only the
 * launch's frame. Starts once the first screen has had its requests, and again each minute
 * while online, so a view never lapses from the cache for long.
 */
export function ChartPrefetch({ launchId }: { launchId: string }) {
  const router = useRouter();
  useEffect(() => {
    const prefetchAll = () => {
      if (!navigator.onLine) return;
      for (const view of VIEWS) router.prefetch(chartPath(launchId, view), FULL);
      router.prefetch(`/l/${launchId}/chart/review`, FULL);
    };
    const first = window.setTimeout(prefetchAll, 1_500);
    const again = window.setInterval(prefetchAll, REFRESH_MS);
    return () => {
      window.clearTimeout(first);
      window.clearInterval(again);
    };
  }, [launchId, router]);
  return null;
}
