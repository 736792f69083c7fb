import { sparklineOf, type latestPoint, type ResultSeries } from '@/lib/fhir/compose/observations';
import { FlagBadge } from '@/components/ui/flag-badge';
// A trend drawn beside the value: its code arrives as a chunk of its own, after the first screen.
import { Sparkline } from '@/components/ui/trend-code';
import { LocalDay } from '@/components/ui/local-day';

type Point = NonNullable<ReturnType<typeof latestPoint>>;

/** One result series as a row: name, latest value (and range), date, flag and trend. */
export function SeriesRowContent({ s, p, showRange = false }: { s: ResultSeries; p: Point; showRange?: boolean }) {
  return (
    <>
      <span>
        <span className="block font-medium">{s.label}</span>
        <span className="block text-sm text-gray-700">
          <span data-testid="series-value">{p.text}</span>
          {showRange && p.range?.text ? ` (range ${p.range.text})` : ''}
          <LocalDay value={p.date} prefix=" · " />
        </span>
      </span>
      <span className="flex items-center gap-2">
        {p.flag ? <FlagBadge kind={p.flag} /> : null}
        <Sparkline lines={sparklineOf(s)} label={s.label} />
      </span>
    </>
  );
}
