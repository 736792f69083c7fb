'use client';
import { useMemo } from 'react';
import { useHydrated } from '@/components/ui/use-hydrated';
// The chart of the history: its code arrives as a chunk of its own, while the answers load.
import { TrendChart } from '@/components/ui/trend-code';
import { resultHistoryRequest } from '@/lib/fhir/compose/search-paths';
import { useFhirPages } from '@/components/fhir/use-fhir-pages';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { useNow } from '@/components/ui/use-now';
import { dayWords } from './day-words';
import { usePortal } from './portal-context';
import { useResultsSeen } from './results-seen';
import { useTimeZone } from '@/components/ui/use-time-zone';
import { laterChunk, useLaterChunk } from '@/components/ui/later-chunk';

/** What each test measures: a chunk of its own, loaded while the test's history is on its way. */
const descriptionsCode = laterChunk(() => import('@/lib/fhir/compose/lab-descriptions'));
/** How the history is composed and explained, likewise (result-detail-code.tsx). */
export const resultDetailCode = laterChunk(() => import('./result-detail-code'));

/** What the server read of the test's name from the history the page came with, shown until the page's own code has. */
export interface TestName {
  label: string;
  title: string;
}

/** One test explained: its newest result in full, its trend, and every earlier result in words. */
export function PortalResultDetail({ launchId, code, source, name }: { launchId: string; code: string; source: string; name?: TestName | undefined }) {
  const now = useNow();
  const hydrated = useHydrated();
  const zone = useTimeZone();
  const since = useResultsSeen(usePortal()?.owner);
  const descriptions = useLaterChunk(descriptionsCode);
  const c = useLaterChunk(resultDetailCode);
  const h = useFhirPages(launchId, code.includes('|') ? resultHistoryRequest(code) : null);
  const series = useMemo(() => c?.historySeries(h.pages, code, source), [c, h.pages, code, source]);
  const points = series?.points.filter((p) => p.state !== 'entered-in-error') ?? [];
  const explained = c && series && since !== undefined ? points.map((p) => c.explainResult(series, p, since, now, zone, descriptions?.describeTest)) : [];
  const label = series?.label ?? name?.label;
  const title = series?.title ?? name?.title;
  const [latest, ...earlier] = explained;
  const trend = series ? points.filter((p) => p.state === 'active' && p.date && p.numbers[0] !== undefined).reverse() : [];
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="portal-result-detail" data-hydrated={hydrated ? 'yes' : 'no'} data-code={code} aria-labelledby="detail-title">
      <p>
        <a href={`/l/${launchId}/portal/results`} className="inline-flex min-h-11 items-center text-sm text-[var(--hc-accent,#1d4ed8)] underline">All your results</a>
      </p>
      <h1 id="detail-title" className="text-xl font-semibold">{label ?? 'Test result'}</h1>
      {label && title && label !== title ? <p className="text-sm text-gray-700">{title}</p> : null}
      {h.isLoading || (h.pages.length > 0 && !c) ? <p role="status">Loading…</p> : null}
      {h.outcome ? <OutcomeMessage outcome={h.outcome} /> : null}
      {!code.includes('|') || (!h.isLoading && !h.outcome && c && !series) ? <p className="mt-3 text-gray-700" data-testid="detail-empty">No results for this test.</p> : null}
      {c && latest ? <div className="mt-3"><c.ResultExplained r={latest} now={now} /></div> : null}
      {c && series && trend.length > 1 ? (
        <section className="mt-3 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3" aria-labelledby="trend-title">
          <h2 id="trend-title" className="font-semibold">Over time</h2>
          <TrendChart title={series.label} formatNumber={c.seriesNumberText(series)} {...(series.unit ? { unit: series.unit } : {})} lines={series.lines.map((l) => l || series.label)} points={trend.map((p) => ({ date: p.date!, values: p.numbers, flagged: !!p.flag }))} {...(trend[trend.length - 1]?.range ? { range: trend[trend.length - 1]!.range! } : {})} />
        </section>
      ) : null}
      {earlier.length > 0 ? (
        <section className="mt-3" aria-labelledby="earlier-title">
          <h2 id="earlier-title" className="text-lg font-semibold">Earlier results</h2>
          <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3">
            {earlier.map((r) => (
              <li key={r.point.key} className="py-2" data-testid="earlier-result">
                <span className="block text-sm text-gray-700">{dayWords(r.day, now, zone)}</span>
                <span className="font-medium">{r.point.text}</span> · <span>{r.flagWords}</span>
                {r.statusWords ? <span className="block text-sm text-amber-950">{r.statusWords}</span> : null}
              </li>
            ))}
          </ul>
          {h.hasMore ? (
            <button type="button" onClick={h.loadMore} disabled={h.isLoadingMore} className="mt-2 min-h-11 rounded-lg border border-gray-300 bg-white px-4 font-medium">
              {h.isLoadingMore ? 'Loading older results…' : 'Load older results'}
            </button>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}
