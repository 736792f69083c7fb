'use client';
import { useMemo } from 'react';
// The chart of the history: its code arrives as a chunk of its own, while the answers load.
import { TrendChart } from '@/components/ui/trend-code';
import { mergeSeries, seriesNumberText, toResultSeries } from '@/lib/fhir/compose/observations';
import { resultHistoryRequest, SUMMARY_REQUESTS } from '@/lib/fhir/compose/requests';
import { useFhirPages } from '@/components/fhir/use-fhir-pages';
import { useNames } from '@/components/fhir/use-names';
import { FlagBadge } from '@/components/ui/flag-badge';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { SourcePanel } from '@/components/ui/source-panel';
import { useNow } from '@/components/ui/use-now';
import { ConsentHiddenNotice } from '@/components/consent/consent-hidden-notice';
import { hiddenAcross } from '@/lib/consent/hidden';
import { chartPath } from './chart-paths';
import { DetailHeader } from './detail-header';
import { InactiveToggle } from './inactive-toggle';
import { ResultTable } from './result-table';

/** The history of one test or vital sign: latest value, trend with reference band, every value, source. */
export function ResultDetail({ launchId, kind, code, source, showInactive, nameTypes = [] }: { launchId: string; kind: 'results' | 'vitals'; code: string; source: string; showInactive: boolean; nameTypes?: readonly string[] }) {
  const now = useNow();
  const searchable = code.includes('|');
  const path = searchable ? resultHistoryRequest(code) : kind === 'results' ? SUMMARY_REQUESTS.labs : SUMMARY_REQUESTS.vitals;
  const h = useFhirPages(launchId, path);
  const bodies = useMemo(() => [h.pages.map((pg) => pg.body).flatMap((b) => b.entry ?? [])].map((entry) => ({ resourceType: 'Bundle' as const, type: 'searchset' as const, entry })), [h.pages]);
  const names = useNames(launchId, nameTypes, bodies);
  const series = useMemo(
    () => mergeSeries(h.pages.flatMap((pg) => toResultSeries(pg.body, { source, fetchedAt: pg.fetchedAt, names }, { includeInactive: true }).filter((s) => s.key === code))),
    [h.pages, code, source, names],
  );
  const active = series?.points.filter((p) => p.state === 'active') ?? [];
  const shown = showInactive ? (series?.points ?? []) : active;
  const latest = active[0];
  const hidden = series ? series.points.length - active.length : undefined;
  const trend = active.filter((p) => p.date && p.numbers.some((n) => n !== undefined)).reverse();
  const withheld = hiddenAcross(h.pages.map((pg) => pg.body));
  const back = { href: chartPath(launchId, kind), label: kind === 'results' ? 'Laboratory results' : 'Vital signs' };
  return (
    <section data-testid="result-detail" data-code={code} aria-labelledby="detail-title">
      <DetailHeader launchId={launchId} title={series?.title ?? 'Result history'} back={back}>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Freshness fetchedAt={h.pages[h.pages.length - 1]?.fetchedAt} now={now} offline={h.pages.some((pg) => pg.fromCache)} />
          <InactiveToggle href={chartPath(launchId, kind, { code, ...(showInactive ? {} : { inactive: '1' }) })} showing={showInactive} {...(hidden !== undefined ? { hidden } : {})} />
        </div>
      </DetailHeader>
      {withheld.hidden ? <ConsentHiddenNotice launchId={launchId} why={withheld.why} /> : null}
      {h.isLoading ? <p role="status">Loading…</p> : null}
      {h.outcome ? <OutcomeMessage outcome={h.outcome} /> : null}
      {!h.isLoading && !h.outcome && !series ? <p className="text-gray-700">No values recorded for this test.</p> : null}
      {series && latest ? (
        <div className="flex flex-col gap-3 md:grid md:grid-cols-2 md:items-start">
          <div className="rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3" data-testid="latest-value">
            <p className="text-sm text-gray-700">Latest{latest.date ? ` · ${latest.date.slice(0, 10)}` : ''}</p>
            <p className="flex flex-wrap items-center gap-2 text-2xl font-semibold">
              <span data-testid="latest-text">{latest.text}</span> {latest.flag ? <FlagBadge kind={latest.flag} /> : null}
            </p>
            {latest.note ? <p className="text-sm text-gray-700" data-testid="value-note">{latest.note}</p> : null}
            {latest.range?.text ? <p className="text-sm text-gray-700">Reference range {latest.range.text}</p> : null}
            {latest.performer ? <p className="text-sm text-gray-700" data-testid="performer">By {latest.performer}</p> : null}
            <div className="mt-3">
              <TrendChart title={series.label} formatNumber={seriesNumberText(series)} {...(series.unit ? { unit: series.unit } : {})} lines={series.lines.map((l) => l || series.label)} points={trend.map((p) => ({ date: p.date!, values: p.numbers, flagged: !!p.flag }))} {...(latest.range ? { range: latest.range } : {})} />
            </div>
          </div>
          <SourcePanel p={latest.provenance} now={now} heading="Source of the latest value" sent={latest.sent} />
        </div>
      ) : null}
      {series ? (
        <div className="mt-3">
          <h2 className="mb-1 text-lg font-semibold">All values</h2>
          <p className="mb-1 text-sm text-gray-700" data-testid="history-count">
            Showing {shown.length}{h.total !== undefined && searchable ? ` of ${h.total}` : ''} values
          </p>
          <ResultTable series={series} points={shown} now={now} />
          {h.hasMore ? (
            <button type="button" onClick={h.loadMore} disabled={h.isLoadingMore} className="mt-2 min-h-11 rounded-lg border border-gray-300 bg-white px-4 font-medium" data-testid="load-older">
              {h.isLoadingMore ? 'Loading older values…' : 'Load older values'}
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
