'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { laterChunk } from '@/components/ui/later-chunk';

const prefetchCode = laterChunk(() => import('./chart-prefetch-run'));

/**
 * Starts the chart's prefetch of its views (chart-prefetch-run.ts) once its code, a chunk of its
 * own, has arrived after the first screen.
 */
export function ChartPrefetch({ launchId }: { launchId: string }) {
  const router = useRouter();
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
