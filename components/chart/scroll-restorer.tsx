'use client';
import { useEffect } from 'react';
import { laterChunk } from '@/components/ui/later-chunk';

/** The scroll restoration's code (scroll-restore-run.ts): provided by the offline shell, which must work with no network. */
export const scrollRestoreCode = laterChunk(() => import('./scroll-restore-run'));

/** Puts this view's scroll position back after a reload or return, once its code has arrived (scroll-restore-run.ts). */
export function ScrollRestorer({ launchId, view }: { launchId: string; view: string }) {
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    void scrollRestoreCode.load().then((m) => {
      if (live) stop = m.startScrollRestore(launchId, view);
    });
    return () => {
      live = false;
      stop?.();
    };
  }, [launchId, view]);
  return null;
}
