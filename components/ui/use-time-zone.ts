'use client';
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
const serverZone = () => 'UTC';

/**
 * The browser's time zone, for the days results are filed under (calendarDay). UTC on the
 * server and in the first render of a page that came with its data, so the browser's first
 * render matches the server's HTML; the browser's own zone right after.
 */
export function useTimeZone(): string {
  return useSyncExternalStore(noSubscription, browserZone, serverZone);
}
