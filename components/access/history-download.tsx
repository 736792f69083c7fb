'use client';
import { useTimeZone } from './local-time';

/** Downloads the same history as a CSV file, in the browser's time zone (only the zone's name is in the URL). */
export function HistoryDownload({ launchId, hideOwn }: { launchId: string; hideOwn: boolean }) {
  const tz = useTimeZone();
  const query = new URLSearchParams({ format: 'csv', ...(hideOwn ? { mine: 'hide' } : {}), ...(tz ? { tz } : {}) });
  return (
    <a data-testid="access-download" download="access-history.csv" href={`/api/l/${launchId}/access-history?${query}`} className="inline-flex min-h-11 items-center rounded-lg border border-[var(--hc-accent)] px-4 font-medium text-[var(--hc-accent)] focus-visible:outline-2">
      Download as a spreadsheet (CSV)
    </a>
  );
}
