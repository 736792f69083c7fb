'use client';
import { AppLink } from '@/components/ui/app-link';
import { useMemo } from 'react';
import type { Bundle } from '@medplum/fhirtypes';
import { latestPoint, toResultSeries, type ResultSeries } from '@/lib/fhir/compose/observations';
import { SUMMARY_REQUESTS, UNCATEGORIZED_OBSERVATIONS_REQUEST } from '@/lib/fhir/compose/requests';
import { useFhir } from '@/components/fhir/use-fhir';
import { Freshness, SourceLine } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { PartialNotice } from '@/components/ui/partial-notice';
import { answerGap } from '@/lib/fhir/compose/items';
import { useNow } from '@/components/ui/use-now';
import { ConsentHiddenNotice } from '@/components/consent/consent-hidden-notice';
import { hiddenAcross } from '@/lib/consent/hidden';
import { resultPath } from './chart-paths';
import { DetailHeader } from './detail-header';
import { SeriesRowContent } from './series-row-content';

const RANK = { critical: 0, high: 1, low: 1, abnormal: 1 } as const;

/** Every test (or vital sign) with its latest value and trend; out-of-range ones first. */
export function ResultsOverview({ launchId, kind, source }: { launchId: string; kind: 'results' | 'vitals'; source: string }) {
  const now = useNow();
  const r = useFhir<Bundle>(launchId, kind === 'results' ? SUMMARY_REQUESTS.labs : SUMMARY_REQUESTS.vitals);
  const other = useFhir<Bundle>(launchId, kind === 'results' ? UNCATEGORIZED_OBSERVATIONS_REQUEST : null);
  const rows = useMemo(() => (r.data && r.fetchedAt ? latestRows(toResultSeries(r.data, { source, fetchedAt: r.fetchedAt })) : undefined), [r.data, r.fetchedAt, source]);
  const otherRows = useMemo(() => (other.data && other.fetchedAt ? latestRows(toResultSeries(other.data, { source, fetchedAt: other.fetchedAt })) : undefined), [other.data, other.fetchedAt, source]);
  const withheld = hiddenAcross([r.data]);
  // Sorted newest first, a first page is the latest: only entries the EHR left out make this incomplete.
  const partial = answerGap(r.data) === 'withheld';
  return (
    <section data-testid={`detail-${kind}`} aria-labelledby="detail-title">
      <DetailHeader launchId={launchId} title={kind === 'results' ? 'Laboratory results' : 'Vital signs'}>
        <Freshness fetchedAt={r.fetchedAt} now={now} offline={r.fromCache} />
      </DetailHeader>
      {withheld.hidden ? <ConsentHiddenNotice launchId={launchId} why={withheld.why} /> : null}
      {r.isLoading ? <p role="status">Loading…</p> : null}
      {r.outcome ? <OutcomeMessage outcome={r.outcome} /> : null}
      {partial ? <PartialNotice partial="withheld" /> : null}
      {rows && rows.length === 0 && !partial ? <p className="text-gray-700">No {kind === 'results' ? 'laboratory results' : 'vital signs'} recorded.</p> : null}
      {rows && rows.length > 0 ? <ResultRows launchId={launchId} rows={rows} now={now} /> : null}
      {otherRows && otherRows.length > 0 ? (
        <section className="mt-4" aria-labelledby="other-observations" data-testid="other-observations">
          <h2 id="other-observations" className="mb-1 text-lg font-semibold">Other observations</h2>
          <p className="mb-1 text-sm text-gray-700">Filed by the source under no category.</p>
          <ResultRows launchId={launchId} rows={otherRows} now={now} />
        </section>
      ) : null}
    </section>
  );
}

type Row = { s: ResultSeries; p: NonNullable<ReturnType<typeof latestPoint>> };

/** Each series with its latest value, out-of-range ones first. */
function latestRows(series: ResultSeries[]): Row[] {
  return series
    .flatMap((s) => {
      const p = latestPoint(s);
      return p ? [{ s, p }] : [];
    })
    .sort((a, b) => (a.p.flag ? RANK[a.p.flag] : 2) - (b.p.flag ? RANK[b.p.flag] : 2) || a.s.label.localeCompare(b.s.label));
}

function ResultRows({ launchId, rows, now }: { launchId: string; rows: Row[]; now: number }) {
  return (
    <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3">
      {rows.map(({ s, p }) => (
        <li key={s.key} data-testid="result-row" data-code={s.key} className="py-1">
          <AppLink href={resultPath(launchId, s.category, s.key)} className="flex min-h-11 items-center justify-between gap-2 hover:bg-gray-50">
            <SeriesRowContent s={s} p={p} showRange />
          </AppLink>
          <SourceLine p={p.provenance} now={now} />
        </li>
      ))}
    </ul>
  );
}
