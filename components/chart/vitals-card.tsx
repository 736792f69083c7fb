import { AppLink } from '@/components/ui/app-link';
import { latestPoint, type ResultSeries } from '@/lib/fhir/compose/observations';
import { Freshness, SourceLine } from '@/components/ui/freshness';
import { SourcesDisclosure } from '@/components/ui/sources-disclosure';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { PartialNotice } from '@/components/ui/partial-notice';
import { chartPath, resultPath } from './chart-paths';
import type { SectionStatus } from './section-card';
import { SeriesRowContent } from './series-row-content';

const ROW = 'flex min-h-11 items-center justify-between gap-2 py-1 hover:bg-gray-50';

/** Latest value of each vital sign with its recent trend; each row opens the full history. */
export function VitalsCard({ launchId, series, status, now, linked = true, sourcesCollapsed = false }: { launchId: string; series: ResultSeries[] | undefined; status: SectionStatus; now?: number | undefined; linked?: boolean; sourcesCollapsed?: boolean }) {
  const rows = series?.flatMap((s) => {
    const p = latestPoint(s);
    return p ? [{ s, p }] : [];
  });
  return (
    <section aria-labelledby="vitals-title" data-testid="section-vitals" className="rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3">
      <div className="flex flex-wrap items-center justify-between gap-x-2">
        <h2 id="vitals-title" className="text-lg font-semibold">
          {linked ? (
            <AppLink href={chartPath(launchId, 'vitals')} className="flex min-h-11 items-center gap-1 text-[var(--hc-accent,#1d4ed8)] underline-offset-2 hover:underline" data-testid="section-open">
              Latest vital signs<span aria-hidden="true">›</span>
            </AppLink>
          ) : (
            <span className="flex min-h-11 items-center">Latest vital signs</span>
          )}
        </h2>
        <Freshness fetchedAt={status.fetchedAt} now={now} offline={status.offline ?? false} serverClock={status.serverClock ?? false} />
      </div>
      {status.isLoading ? <p className="text-gray-700" role="status">Loading…</p> : null}
      {status.outcomes.map((o) => <OutcomeMessage key={o.outcome} {...o} />)}
      {/* Sorted newest first, a first page is the latest: only entries the EHR left out make the card incomplete. */}
      {status.partial === 'withheld' ? <PartialNotice partial="withheld" /> : null}
      {rows && rows.length === 0 && !status.outcomes.length && status.partial !== 'withheld' ? <p className="text-gray-700">No vital signs recorded.</p> : null}
      {rows && rows.length > 0 ? (
        <ul className="divide-y divide-gray-100">
          {rows.map(({ s, p }) => {
            const content = <SeriesRowContent s={s} p={p} />;
            return (
              <li key={s.key} data-testid="section-item" data-code={s.key}>
                {linked ? <AppLink href={resultPath(launchId, s.category, s.key)} className={ROW}>{content}</AppLink> : <div className={ROW}>{content}</div>}
                {sourcesCollapsed ? null : <SourceLine p={p.provenance} now={now} />}
              </li>
            );
          })}
        </ul>
      ) : null}
      {sourcesCollapsed && rows && rows.length > 0 ? <SourcesDisclosure entries={rows.map(({ s, p }) => ({ key: s.key, title: s.label, p: p.provenance }))} now={now} /> : null}
    </section>
  );
}
