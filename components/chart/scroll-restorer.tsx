'use client';
import { useEffect } from 'react';
import { launchKey, readSession, writeSession } from './session-state';

const GIVE_UP_MS = 8_000;

/**
 * Keeps this view's scroll position per launch and URL, and puts it back after a reload,
 * relaunch or return: as soon as the content is tall enough (data arrives after the page),
 * unless the user scrolls first. Data attribute `data-scroll-restored` tells tests when done.
 */
export function ScrollRestorer({ launchId, view }: { launchId: string; view: string }) {
  useEffect(() => {
    const key = launchKey(launchId, `scroll:${view}`);
    const root = document.documentElement;
    if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
    const target = Number(readSession(key) ?? '0');
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
    // Saved on every scroll event (browsers send at most one per frame), not on unmount: by
    // then a client navigation may already have scrolled the next view to the top.
    const save = () => !restoring && writeSession(key, String(Math.round(window.scrollY)));
    window.addEventListener('scroll', save, { passive: true });
    window.addEventListener('wheel', cancel, { passive: true });
    window.addEventListener('touchstart', cancel, { passive: true });
    window.addEventListener('keydown', cancel);
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', save);
    return () => {
      observer.disconnect();
      window.removeEventListener('scroll', save);
      window.removeEventListener('wheel', cancel);
      window.removeEventListener('touchstart', cancel);
      window.removeEventListener('keydown', cancel);
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', save);
    };
  }, [launchId, view]);
  return null;
}
