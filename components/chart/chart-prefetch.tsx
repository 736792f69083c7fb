'use client';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { laterChunk } from '@/components/ui/later-chunk';

const prefetchCode = laterChunk(() => import('./chart-prefetch-run'));

/**
 * Starts the chart's prefetch of its views (chart-prefetch-run.ts) once its code, a chunk of its
 * own, has arrived after the first screen.
 */
export function ChartPrefetch({ launchId }: { launchId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const shown = useRef(pathname);
  // A view opened online is shown from a copy the router does not keep for long, in place of the
  // one prefetched: once the clinician moves on, the view left is prefetched again, so it opens
  // without a network too (the router asks only for that view).
  useEffect(() => {
    const left = shown.current;
    shown.current = pathname;
    if (left === pathname || !navigator.onLine) return;
    void prefetchCode.load().then((m) => m.prefetchView(left, router));
  }, [pathname, router]);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    void prefetchCode.load().then((m) => {
      if (live) stop = m.startChartPrefetch(launchId, router);
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [launchId, router]);
  return null;
}
