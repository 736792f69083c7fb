'use client';
import type { Provenance } from '@/lib/fhir/compose/provenance';
import { clockTime, relativeAge, sourceSummary } from './ages';
import { onServerClock } from './server-clock';
import { useNowOr } from './use-now';

export function SourceLine({ p, now: given }: { p: Provenance; now?: number | undefined }) {
  const now = useNowOr(given);
  return (
    <span className="text-xs text-gray-600" data-testid="source-line">
      {sourceSummary(p, now)}
    </span>
  );
}

/**
 * How fresh a section is: when Housecall last fetched it from the EHR. `offline`: the EHR could
 * not be reached and this is the copy saved on the device at that time, said in plain words.
 * `serverClock`: Housecall's server fetched it for the page, and stamped it on its own clock.
 */
export function Freshness({ fetchedAt, now: given, offline = false, serverClock = false }: { fetchedAt: string | undefined; now?: number | undefined; offline?: boolean; serverClock?: boolean }) {
  // A time the server stamped is aged on its clock, so a device whose clock is off still reads "just now".
  const deviceNow = useNowOr(given);
  const now = serverClock ? onServerClock(deviceNow) : deviceNow;
  if (!fetchedAt) return null;
  if (offline) {
    return (
      <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-950" data-testid="fetched-at" data-offline="yes">
        Offline: showing what was saved at <time dateTime={fetchedAt}>{clockTime(fetchedAt)}</time> ({relativeAge(fetchedAt, now)})
      </span>
    );
  }
  return (
    <span className="text-xs text-gray-600" data-testid="fetched-at">
      Checked <time dateTime={fetchedAt}>{relativeAge(fetchedAt, now)}</time>
    </span>
  );
}

/** How long ago `at` was, counted on Housecall's server's clock (a time the server stamped). */
export function ServerAge({ at, now: given }: { at: string; now?: number | undefined }) {
  return <>{relativeAge(at, onServerClock(useNowOr(given)))}</>;
}
