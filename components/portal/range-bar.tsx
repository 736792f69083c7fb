import type { RangeBar as RangeBarGeometry } from '@/lib/fhir/compose/results-explained';

const W = 300;
const x = (pct: number) => Math.round((pct / 100) * W * 10) / 10;

/**
 * The usual range as a band on a track, with the value marked on it. Drawn in SVG attributes
 * (the CSP allows no inline style); the same facts are said in words beside it, so the drawing
 * carries a label for screen readers and nothing only it shows.
 */
export function RangeBar({ bar, label }: { bar: RangeBarGeometry; label: string }) {
  const marker = Math.min(W - 4, Math.max(4, x(bar.marker)));
  const from = x(bar.band.from);
  const to = x(bar.band.to);
  const anchor = (px: number) => (px < 24 ? 'start' : px > W - 24 ? 'end' : 'middle');
  return (
    <svg viewBox={`0 0 ${W} 46`} className="mt-2 h-auto w-full max-w-md" role="img" aria-label={label} data-testid="range-bar" data-marker={bar.marker} data-band-from={bar.band.from} data-band-to={bar.band.to}>
      <rect x="0" y="14" width={W} height="12" rx="6" fill="#e5e7eb" />
      <rect x={from} y="14" width={Math.max(2, to - from)} height="12" fill="#86efac" data-testid="range-band" />
      <line x1={marker} x2={marker} y1="6" y2="34" stroke="#111827" strokeWidth="3" />
      <circle cx={marker} cy="20" r="7" fill="#111827" stroke="#ffffff" strokeWidth="2" data-testid="range-marker" />
      {bar.lowLabel !== undefined ? <text x={from} y="44" fontSize="12" textAnchor={anchor(from)} fill="#374151">{bar.lowLabel}</text> : null}
      {bar.highLabel !== undefined ? <text x={to} y="44" fontSize="12" textAnchor={anchor(to)} fill="#374151">{bar.highLabel}</text> : null}
    </svg>
  );
}
