'use client';
import { useEffect } from 'react';
import { launchKey, persistent, readSession, writeSession } from './session-state';

const GIVE_UP_MS = 8_000;

const STATE_KEY = 'housecallScroll';

/** Where storage is refused (cross-site EHR frame), the history entry's state survives a reload. */
function readEntry(): number | undefined {
  const v = (history.state as Record<string, unknown> | null)?.[STATE_KEY];
  return typeof v === 'number' ? v : undefined;
}

function writeEntry(y: number): void {
  history.replaceState({ ...(history.state as object | null), [STATE_KEY]: y }, '');
}

/**
 * Keeps this view's scroll position per launch and URL, and puts it back after a reload or
 * return: as soon as the content is tall enough (data arrives after the page), unless the
 * user scrolls first. Data attribute `data-scroll-restored` tells tests when done.
 */
export function ScrollRestorer({ launchId, view }: { launchId: string; view: string }) {
  useEffect(() => {
    const key = launchKey(launchId, `scroll:${view}`);
    const root = document.documentElement;
    if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
    const kept = persistent();
    const target = kept ? Number(readSession(key) ?? '0') : (readEntry() ?? 0);
    let restoring = Number.isFinite(target) && target > 0;
    root.dataset.scrollRestored = restoring ? 'pending' : 'none';
    const started = Date.now();

    const finish = (state: string) => {
      restoring = false;
      root.dataset.scrollRestored = state;
      observer.disconnect();
    };
    const tryRestore = () => {
      if (!restoring) return;
      const reachable = root.scrollHeight - window.innerHeight;
      window.scrollTo({ top: Math.min(target, Math.max(0, reachable)), behavior: 'instant' });
      if (reachable >= target) finish('done');
      else if (Date.now() - started > GIVE_UP_MS) finish('partial');
    };
    const observer = new ResizeObserver(tryRestore);
    observer.observe(document.body);
    tryRestore();

    const cancel = () => restoring && finish('cancelled');
    // Saved shortly after scrolling stops (history.replaceState is rate-limited by browsers)
    // and when the page is hidden, not on unmount: by then a client navigation may already
    // have scrolled the next view to the top.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const save = () => {
      clearTimeout(timer);
      if (restoring) return;
      const y = Math.round(window.scrollY);
      if (kept) writeSession(key, String(y));
      else writeEntry(y);
    };
    const saveSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(save, 150);
    };
    window.addEventListener('scroll', saveSoon, { passive: true });
    window.addEventListener('wheel', cancel, { passive: true });
    window.addEventListener('touchstart', cancel, { passive: true });
    window.addEventListener('keydown', cancel);
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', save);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
      window.removeEventListener('scroll', saveSoon);
      window.removeEventListener('wheel', cancel);
      window.removeEventListener('touchstart', cancel);
      window.removeEventListener('keydown', cancel);
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', save);
    };
  }, [launchId, view]);
  return null;
}
