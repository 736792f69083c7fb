'use client';
import { useMemo, useState } from 'react';
import { useHydrated } from '@/components/ui/use-hydrated';
import type { Bundle } from '@medplum/fhirtypes';
import { SUMMARY_REQUESTS } from '@/lib/fhir/compose/search-paths';
import { hiddenAcross } from '@/lib/consent/hidden';
import { ConsentHiddenNotice } from '@/components/chart/chart-code';
import { useFhir } from '@/components/fhir/use-fhir';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { PartialNotice } from '@/components/ui/partial-notice';
import { answerGap } from '@/lib/fhir/compose/answer-gap';
import { useNow } from '@/components/ui/use-now';
import { usePortal } from './portal-context';
import { useResultsSeen } from './results-seen';
import { useTimeZone } from '@/components/ui/use-time-zone';
import { laterChunk, useLaterChunk } from '@/components/ui/later-chunk';

/** How the results are composed and drawn: a chunk of its own (results-list-code.tsx). */
export const resultsListCode = laterChunk(() => import('./results-list-code'));

const DAYS_AT_FIRST = 8;

/**
 * The patient's laboratory results, newest day first, each in plain words. Opening this page
 * marks results as seen (the home stops calling them new); the ones new since the last visit
 * are marked here once more.
 */
export function PortalResults({ launchId, source }: { launchId: string; source: string }) {
  const now = useNow();
  const hydrated = useHydrated();
  const zone = useTimeZone();
  const portal = usePortal();
  const since = useResultsSeen(portal?.owner, true);
  const labs = useFhir<Bundle>(launchId, SUMMARY_REQUESTS.labs);
  const code = useLaterChunk(resultsListCode);
  const [allDays, setAllDays] = useState(false);
  const days = useMemo(
    () => (code && labs.data && labs.fetchedAt && since !== undefined ? code.resultDays(labs.data, { source, fetchedAt: labs.fetchedAt }, since, now, zone) : undefined),
    [code, labs.data, labs.fetchedAt, source, since, now, zone],
  );
  const shown = allDays ? days : days?.slice(0, DAYS_AT_FIRST);
  const withheld = hiddenAcross([labs.data]);
  // The EHR said it left results out (items.ts answerGap): "No test results yet" would be untrue.
  const partial = answerGap(labs.data) === 'withheld';
  const fresh = days?.reduce((n, d) => n + d.results.filter((r) => r.isNew).length, 0) ?? 0;
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="portal-results" data-hydrated={hydrated ? 'yes' : 'no'} aria-labelledby="results-title">
      <div className="flex flex-wrap items-center justify-between gap-x-2">
        <h1 id="results-title" className="text-xl font-semibold">Your test results</h1>
        <Freshness fetchedAt={labs.fetchedAt} now={now} offline={labs.fromCache} />
      </div>
      <p className="text-sm text-gray-700">Newest first. Each result shows the usual range for the test, and where yours sits in it.</p>
      {days && fresh > 0 ? <p className="mt-1 text-sm font-medium" data-testid="results-new-count">{fresh} new since you last looked.</p> : null}
      {withheld.hidden ? <ConsentHiddenNotice launchId={launchId} why={withheld.why} /> : null}
      {labs.isLoading || (labs.data && !days) ? <p role="status">Loading…</p> : null}
      {labs.outcome ? <OutcomeMessage outcome={labs.outcome} /> : null}
      {partial ? <PartialNotice partial="withheld" /> : null}
      {days && days.length === 0 && !partial ? <p className="mt-3 text-gray-700" data-testid="results-empty">No test results yet.</p> : null}
      {code && shown ? <code.ResultDays launchId={launchId} days={shown} now={now} timeZone={zone} /> : null}
      {days && !allDays && days.length > DAYS_AT_FIRST ? (
        <button type="button" onClick={() => setAllDays(true)} className="mt-3 min-h-11 rounded-lg border border-gray-300 bg-white px-4 font-medium" data-testid="results-older">
          Show older results ({days.length - DAYS_AT_FIRST} more days)
        </button>
      ) : null}
    </main>
  );
}
