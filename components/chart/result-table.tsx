'use client';
import type { ResultPoint, ResultSeries } from '@/lib/fhir/compose/observations';
import { FlagBadge } from '@/components/ui/flag-badge';
import { SourceLine } from '@/components/ui/freshness';
import { calendarDay } from '@/lib/fhir/compose/datatypes';
import { useTimeZone } from '@/components/ui/use-time-zone';

/** Every value of a series as a table: the accessible, exact counterpart of the trend chart. */
export function ResultTable({ series, points, now }: { series: ResultSeries; points: ResultPoint[]; now: number }) {
  const zone = useTimeZone();
  return (
    <div className="overflow-x-auto rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white">
      <table className="w-full text-left text-sm" data-testid="history-table">
        <caption className="sr-only">All values of {series.title}, newest first</caption>
        <thead className="bg-gray-50">
          <tr>
            <th scope="col" className="p-2">Date</th>
            <th scope="col" className="p-2">Value</th>
            <th scope="col" className="p-2">Range</th>
            <th scope="col" className="p-2">Flag</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {points.map((p) => (
            <tr key={p.key} data-testid="history-row" data-state={p.state}>
              <td className="p-2 align-top whitespace-nowrap">{p.date ? <time dateTime={p.date}>{calendarDay(p.date, zone)}</time> : 'No date'}</td>
              <td className="p-2 align-top">
                <span className={p.state === 'entered-in-error' ? 'line-through' : ''} data-testid="history-value">{p.text}</span>
                {p.note ? <div className="text-xs text-gray-700">{p.note}</div> : null}
                {p.performer ? <div className="text-xs text-gray-700">By {p.performer}</div> : null}
                <div><SourceLine p={p.provenance} now={now} /></div>
              </td>
              <td className="p-2 align-top">{p.range?.text || '–'}</td>
              <td className="p-2 align-top">
                <span className="flex flex-wrap gap-1">
                  {p.flag ? <FlagBadge kind={p.flag} label={p.flagSource === 'range' ? `${p.flag} (by range)` : p.flag} /> : p.interpretation ? p.interpretation : null}
                  {p.state !== 'active' ? <FlagBadge kind={p.state} /> : null}
                  {p.status ? <FlagBadge kind="status" label={p.status} /> : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
