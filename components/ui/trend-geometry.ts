/**
 * Pure geometry for the trend chart and sparkline: maps dated values to SVG coordinates in a
 * box, with the reference range (when given) inside the vertical domain so its band shows.
 */
export interface TrendInput {
  /** Oldest first. */
  points: { t: number; values: (number | undefined)[] }[];
  range?: { low?: number; high?: number };
}

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface TrendGeometry {
  lines: { x: number; y: number; index: number }[][];
  band?: { y: number; height: number };
  yMin: number;
  yMax: number;
  y: (v: number) => number;
}

export function trendGeometry(input: TrendInput, box: Box): TrendGeometry {
  const values = input.points.flatMap((p) => p.values.filter((v): v is number => v !== undefined));
  const bounds = [...values, ...(input.range?.low !== undefined ? [input.range.low] : []), ...(input.range?.high !== undefined ? [input.range.high] : [])];
  let yMin = bounds.length ? Math.min(...bounds) : 0;
  let yMax = bounds.length ? Math.max(...bounds) : 1;
  const pad = (yMax - yMin) * 0.1 || Math.abs(yMax) * 0.1 || 1;
  yMin -= pad;
  yMax += pad;
  const ts = input.points.map((p) => p.t);
  const tMin = Math.min(...ts);
  const tMax = Math.max(...ts);
  const plotW = box.width - box.left - box.right;
  const plotH = box.height - box.top - box.bottom;
  const x = (t: number) => box.left + (tMax === tMin ? plotW / 2 : ((t - tMin) / (tMax - tMin)) * plotW);
  const y = (v: number) => box.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;
  const lineCount = Math.max(0, ...input.points.map((p) => p.values.length));
  const lines = Array.from({ length: lineCount }, (_, line) =>
    input.points.flatMap((p, index) => {
      const v = p.values[line];
      return v === undefined ? [] : [{ x: round(x(p.t)), y: round(y(v)), index }];
    }),
  );
  let band: TrendGeometry['band'];
  const { low, high } = input.range ?? {};
  if (low !== undefined || high !== undefined) {
    const top = high !== undefined ? y(high) : box.top;
    const bottom = low !== undefined ? y(low) : box.top + plotH;
    band = { y: round(top), height: round(Math.max(0, bottom - top)) };
  }
  return { lines, ...(band ? { band } : {}), yMin, yMax, y };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

/** A short number for axis labels. */
export function tickLabel(v: number): string {
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
}
