import { AppLink } from '@/components/ui/app-link';
import { sparklineOf } from '@/lib/fhir/compose/observations';
import type { ExplainedResult } from '@/lib/fhir/compose/results-explained';
import { portalResultPath } from '@/lib/portal/paths';
import { FlagBadge } from '@/components/ui/flag-badge';
import { SourcePanel } from '@/components/ui/source-panel';
// A trend drawn beside the value: its code arrives as a chunk of its own, after the first screen.
import { Sparkline } from '@/components/ui/trend-code';
import { RangeBar } from './range-bar';

const FLAG_TONE: Record<string, string> = { critical: 'text-red-900', high: 'text-amber-900', low: 'text-sky-900', abnormal: 'text-amber-900' };

/** The value, its flag and status in words, the range bar and the trend: shared by the list and the detail. */
function ResultFacts({ r }: { r: ExplainedResult }) {
  const { point, series } = r;
  const lines = sparklineOf(series);
  const barLabel = `${series.label} ${point.text}. ${r.flagWords}.${point.range?.text ? ` Usual range ${point.range.text}.` : ''}`;
  return (
    <>
      <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <span className="text-2xl font-semibold" data-testid="result-value">{point.text}</span>
        <span className={`font-semibold ${FLAG_TONE[point.flag ?? ''] ?? 'text-gray-800'}`} data-testid="result-flag-words">{r.flagWords}</span>
      </p>
      {r.statusWords ? <p className="mt-1 rounded bg-amber-100 px-2 py-1 text-sm font-medium text-amber-950" data-testid="result-status" data-status={point.status ?? point.state}>{r.statusWords}</p> : null}
      {r.bar ? <RangeBar bar={r.bar} label={barLabel} /> : null}
      {point.range?.text ? <p className="text-sm text-gray-700" data-testid="result-range">Usual range: {point.range.text}</p> : null}
      {r.valueNote ? <p className="text-sm text-gray-700" data-testid="result-value-note">{r.valueNote}</p> : null}
      {point.note ? <p className="text-sm text-gray-700">{point.note}</p> : null}
      {r.trendWords ? (
        <p className="mt-1 flex items-center gap-2 text-sm text-gray-800" data-testid="result-trend">
          <span>{r.trendWords}</span>
          <Sparkline lines={lines} label={series.label} />
        </p>
      ) : null}
    </>
  );
}

/** One result in the list: what, new or not, the facts, and the way to its explanation and history. */
export function ResultCard({ launchId, r }: { launchId: string; r: ExplainedResult }) {
  return (
    <li className="py-3" data-testid="portal-result" data-code={r.series.key} data-new={r.isNew ? 'true' : undefined} data-state={r.point.state}>
      <h3 className="flex flex-wrap items-center gap-2 font-semibold">
        <span>{r.series.label}</span>
        {r.isNew ? <FlagBadge kind="new" /> : null}
      </h3>
      <ResultFacts r={r} />
      <AppLink href={portalResultPath(launchId, r.series.key)} className="mt-1 inline-flex min-h-11 items-center text-sm font-medium text-[var(--hc-accent,#1d4ed8)] underline" data-testid="result-open">
        What this means, and past results
      </AppLink>
    </li>
  );
}

/** The newest result of a test explained in full: the facts, what the test measures (and where that text comes from), the source on request. */
export function ResultExplained({ r, now }: { r: ExplainedResult; now: number }) {
  const d = r.description;
  return (
    <section className="rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3" data-testid="result-explained" data-code={r.series.key} aria-labelledby="explained-title">
      <h2 id="explained-title" className="text-sm text-gray-700">
        {r.point.date && r.day !== 'undated' ? <>Result of <time dateTime={r.point.date}>{r.day}</time></> : 'Latest result'}
        {r.isNew ? <> <FlagBadge kind="new" /></> : null}
      </h2>
      <ResultFacts r={r} />
      {d ? (
        <div className="mt-3 border-t border-gray-100 pt-2" data-testid="result-description" data-kind={d.kind}>
          <h3 className="font-semibold">What this test measures</h3>
          <p>{d.text}</p>
          <p className="text-xs text-gray-700" data-testid="result-description-source">
            {d.kind === 'curated' ? `Written for Housecall; checked against ${d.reference} (LOINC ${d.loinc}: ${d.loincName}).` : 'As your clinic names this test.'}
          </p>
        </div>
      ) : null}
      {r.point.performer ? <p className="mt-1 text-sm text-gray-700">Done by {r.point.performer}</p> : null}
      <details className="mt-2">
        <summary className="flex min-h-11 cursor-pointer items-center text-sm text-[var(--hc-accent,#1d4ed8)] underline">Where this comes from</summary>
        <SourcePanel p={r.point.provenance} now={now} heading="Source of this result" sent={r.point.sent} />
      </details>
    </section>
  );
}
