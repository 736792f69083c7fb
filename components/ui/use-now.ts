'use client';
import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`, so "2 min ago" stays true while a view is open. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}

/**
 * The view's `now` where it has one; a first screen drawn on the server has none, and the
 * component then keeps its own clock, so the ages it shows stay true while it is open.
 */
export function useNowOr(given: number | undefined): number {
  const own = useNow();
  return given ?? own;
}
