import { AppLink } from '@/components/ui/app-link';
import type { NeedsAttentionView } from '@/lib/fhir/compose/needs-attention';
import { FlagBadge } from '@/components/ui/flag-badge';
import { Freshness, ServerAge } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { chartPath, resultPath } from './chart-paths';
import type { SectionStatus } from './section-card';
import { LocalDay } from '@/components/ui/local-day';

const LIMIT = 5;

/** New or abnormal results since this clinician last opened this chart: the first thing to read. */
/** Renders on the server as well as in the browser (a first screen composed on the server): no hooks here. */
export function NeedsAttention({ launchId, view, status, now }: { launchId: string; view: NeedsAttentionView | undefined; status: SectionStatus; now?: number | undefined }) {
  // Out-of-range results get a row each; new results within range one line, so the abnormal stay on the first screen.
  const flagged = view?.items.filter((i) => i.point.flag);
  const inRange = view?.items.filter((i) => !i.point.flag) ?? [];
  const items = flagged?.slice(0, LIMIT);
  // When the chart was last opened is Housecall's server's time: its age is counted on that clock.
  const intro = view?.since ? <>New since you last opened this chart <ServerAge at={view.since} now={now} />.</> : 'First time you open this chart: latest results out of range.';
  return (
    <section aria-labelledby="attention-title" data-testid="section-attention" className="rounded-[var(--hc-radius,0.75rem)] border-2 border-amber-300 bg-amber-50 p-3">
      <div className="flex flex-wrap items-center justify-between gap-x-2">
        <h2 id="attention-title" className="flex min-h-11 items-center text-lg font-semibold">Needs attention</h2>
        <Freshness fetchedAt={status.fetchedAt} now={now} offline={status.offline ?? false} serverClock={status.serverClock ?? false} />
      </div>
      {view ? <p className="text-sm text-gray-800" data-testid="attention-since" data-since={view.since ?? ''}>{intro}</p> : null}
      {status.isLoading ? <p className="text-gray-700" role="status">Loading…</p> : null}
      {status.outcomes.map((o) => <OutcomeMessage key={o.label ?? o.outcome} {...o} />)}
      {view && view.items.length === 0 ? <p className="mt-1 text-gray-800" data-testid="attention-empty">{view?.since ? 'Nothing new since then.' : 'No results out of range.'}</p> : null}
      {items && items.length > 0 ? (
        <ul className="mt-1 divide-y divide-amber-200">
          {items.map(({ series, point, reasons }) => (
            <li key={series.key} data-testid="attention-item" data-code={series.key}>
              <AppLink href={resultPath(launchId, series.category, series.key)} className="flex min-h-11 items-center justify-between gap-2 py-1 hover:bg-amber-100">
                <span>
                  <span className="block font-medium">{series.label}</span>
                  <span className="block text-sm text-gray-800">
                    {point.text}
                    {point.range?.text ? ` (range ${point.range.text})` : ''}
                    <LocalDay value={point.date} prefix=" · " />
                  </span>
                </span>
                <span className="flex flex-wrap justify-end gap-1">
                  {reasons.includes('new') ? <FlagBadge kind="new" /> : null}
                  {point.flag ? <FlagBadge kind={point.flag} /> : null}
                </span>
              </AppLink>
            </li>
          ))}
        </ul>
      ) : null}
      {inRange.length > 0 ? (
        <p className="mt-1 text-sm text-gray-800" data-testid="attention-in-range">
          {inRange.length} new within range: {inRange.map((i) => i.series.label).join(', ')}.
        </p>
      ) : null}
      {flagged && (flagged.length > LIMIT || inRange.length > 0) ? (
        <AppLink href={chartPath(launchId, 'results')} className="flex min-h-11 items-center text-sm font-medium text-[var(--hc-accent,#1d4ed8)] underline">
          {flagged.length > LIMIT ? `${flagged.length - LIMIT} more out of range: review all results` : 'Review all results'}
        </AppLink>
      ) : null}
    </section>
  );
}
