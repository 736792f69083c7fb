import { useId } from 'react';
import { tickLabel, trendGeometry } from './trend-geometry';
import { calendarDay } from '@/lib/fhir/compose/datatypes';
import { useTimeZone } from '@/components/ui/use-time-zone';

export interface TrendPoint {
  date: string;
  values: (number | undefined)[];
  flagged: boolean;
}

const BOX = { width: 340, height: 180, left: 44, right: 12, top: 12, bottom: 28 };
const STROKES = ['var(--hc-accent, #1d4ed8)', '#4b5563'];

/** Numbers as sent, at most four significant figures, when the caller gives no policy. */
const plain = (n: number) => String(Number(n.toPrecision(4)));

function describe(title: string, unit: string, lines: string[], points: TrendPoint[], range: { low?: number; high?: number } | undefined, num: (n: number) => string, day: (date: string) => string): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return `No numeric values for ${title}.`;
  const parts = [`${points.length} values from ${day(first.date)} to ${day(last.date)}.`];
  lines.forEach((line, i) => {
    const vs = points.map((p) => p.values[i]).filter((v): v is number => v !== undefined);
    if (!vs.length) return;
    const name = line || title;
    parts.push(`${name}: latest ${num(vs[vs.length - 1]!)} ${unit}, lowest ${num(Math.min(...vs))}, highest ${num(Math.max(...vs))}.`.replace(' ,', ','));
  });
  if (range && (range.low !== undefined || range.high !== undefined)) parts.push(`Reference range ${range.low ?? '…'} to ${range.high ?? '…'} ${unit}.`);
  const flagged = points.filter((p) => p.flagged).length;
  if (flagged) parts.push(`${flagged} flagged as abnormal.`);
  return parts.join(' ');
}

/**
 * A labelled SVG trend: one line per component, the reference range as a shaded band,
 * flagged values as larger dark points. The description carries the same facts as text;
 * the table below it in the detail view carries every value.
 */
export function TrendChart(props: { title: string; unit?: string; lines: string[]; points: TrendPoint[]; range?: { low?: number; high?: number }; formatNumber?: (n: number) => string }) {
  const { title, unit = '', lines, points, range, formatNumber = plain } = props;
  const id = useId();
  const zone = useTimeZone();
  const day = (date: string) => calendarDay(date, zone) ?? date.slice(0, 10);
  const dated = points.filter((p) => !Number.isNaN(Date.parse(p.date)));
  const g = trendGeometry({ points: dated.map((p) => ({ t: Date.parse(p.date), values: p.values })), ...(range ? { range } : {}) }, BOX);
  const bottom = BOX.height - BOX.bottom;
  return (
    <figure className="m-0" data-testid="trend-chart">
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="h-auto w-full" role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`}>
        <title id={`${id}-t`}>{`${title} trend`}</title>
        <desc id={`${id}-d`}>{describe(title, unit, lines, dated, range, formatNumber, day)}</desc>
        {g.band ? <rect data-testid="reference-band" x={BOX.left} width={BOX.width - BOX.left - BOX.right} y={g.band.y} height={g.band.height} fill="#dcfce7" /> : null}
        <line x1={BOX.left} x2={BOX.left} y1={BOX.top} y2={bottom} stroke="#9ca3af" />
        <line x1={BOX.left} x2={BOX.width - BOX.right} y1={bottom} y2={bottom} stroke="#9ca3af" />
        <text x={BOX.left - 4} y={BOX.top + 8} textAnchor="end" fontSize="10" fill="#374151">{tickLabel(g.yMax)}</text>
        <text x={BOX.left - 4} y={bottom} textAnchor="end" fontSize="10" fill="#374151">{tickLabel(g.yMin)}</text>
        {dated[0] ? <text x={BOX.left} y={BOX.height - 8} fontSize="10" fill="#374151">{day(dated[0].date)}</text> : null}
        {dated.length > 1 ? <text x={BOX.width - BOX.right} y={BOX.height - 8} textAnchor="end" fontSize="10" fill="#374151">{day(dated[dated.length - 1]!.date)}</text> : null}
        {g.lines.map((line, i) => (
          <g key={i}>
            <polyline fill="none" stroke={STROKES[i % 2]} strokeWidth="2" strokeDasharray={i % 2 ? '5 3' : undefined} points={line.map((p) => `${p.x},${p.y}`).join(' ')} />
            {line.map((p) => (dated[p.index]?.flagged ? <circle key={p.index} cx={p.x} cy={p.y} r="3.5" fill="#991b1b" /> : <circle key={p.index} cx={p.x} cy={p.y} r="2" fill={STROKES[i % 2]} />))}
          </g>
        ))}
      </svg>
      <figcaption className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-gray-700">
        {lines.length > 1 ? lines.map((l, i) => <span key={l}>{i % 2 ? '- - ' : '— '}{l}</span>) : null}
        {g.band ? <span><span className="mr-1 inline-block h-3 w-3 bg-green-100 align-middle" aria-hidden="true" />Reference range</span> : null}
        <span><span className="mr-1 inline-block h-2 w-2 rounded-full bg-red-800 align-middle" aria-hidden="true" />Flagged value</span>
      </figcaption>
    </figure>
  );
}
