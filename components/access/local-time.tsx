'use client';
import { useSyncExternalStore } from 'react';
import { useHydrated } from '@/components/ui/use-hydrated';

const noop = () => () => {};

/**
 * A time in the reader's own time zone (the browser's). The server renders it in UTC, saying
 * so; the browser replaces it with local time as soon as it runs (no hydration mismatch: the
 * server snapshot is the UTC text).
 */
export function LocalTime({ iso, withDate = true }: { iso: string; withDate?: boolean }) {
  const local = useHydrated();
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = withDate
    ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }
    : { hour: '2-digit', minute: '2-digit' };
  const text = local ? date.toLocaleString('en-GB', options) : `${date.toLocaleString('en-GB', { ...options, timeZone: 'UTC' })} UTC`;
  return <time dateTime={iso} data-local={local}>{text}</time>;
}

/** The browser's time zone, for the download link (none on the server: the download then uses UTC). */
export function useTimeZone(): string | null {
  return useSyncExternalStore(noop, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => null);
}
