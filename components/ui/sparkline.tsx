import { trendGeometry } from './trend-geometry';

const BOX = { width: 80, height: 28, left: 2, right: 2, top: 3, bottom: 3 };

/**
 * A small trend beside a value. Decorative for screen readers, which get the same numbers
 * as text; the detail view has the full, labelled chart.
 */
export function Sparkline({ lines, label }: { lines: number[][]; label: string }) {
  const length = Math.max(0, ...lines.map((l) => l.length));
  if (length < 2) return null;
  const points = Array.from({ length }, (_, i) => ({ t: i, values: lines.map((l) => l[i]) }));
  const g = trendGeometry({ points }, BOX);
  return (
    <span className="inline-flex items-center" data-testid="sparkline">
      <svg width={BOX.width} height={BOX.height} viewBox={`0 0 ${BOX.width} ${BOX.height}`} aria-hidden="true" focusable="false">
        {g.lines.map((line, i) => (
          <polyline key={i} fill="none" stroke={i === 0 ? 'var(--hc-accent, #1d4ed8)' : '#6b7280'} strokeWidth="1.5" strokeDasharray={i === 0 ? undefined : '3 2'} points={line.map((p) => `${p.x},${p.y}`).join(' ')} />
        ))}
      </svg>
      <span className="sr-only">{`${label}, last ${length} readings: ${(lines[0] ?? []).join(', ')}`}</span>
    </span>
  );
}
