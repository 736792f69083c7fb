import { calendarDay, dateMs } from './datatypes';
import type { describeTest, TestDescription } from './lab-descriptions';
import { seriesNumberText, type ResultPoint, type ResultSeries } from './observations';
import type { RangeView } from './values';

/**
 * Results as a patient reads them: grouped by day and by test, newest first, each in plain words
 * (the value with its unit, where it sits against the usual range, the flag and status in words,
 * the trend of a repeated test, and what the test measures). Built on `toResultSeries`, so the
 * numbers, units and flags are exactly the chart's (precision.ts, units.ts); nothing is re-read.
 */

/** Where a value sits against its usual range, on a 0–100 track: what the range bar draws. */
export interface RangeBar {
  /** The usual range's span on the track; an open end reaches the track's edge. */
  band: { from: number; to: number; openLow: boolean; openHigh: boolean };
  /** The value's position on the track. */
  marker: number;
  /** Labels for the drawn limits, as the range gives them. */
  lowLabel?: string;
  highLabel?: string;
}

/**
 * The geometry of a range bar, or undefined when there is nothing to draw against (no number, or
 * a range with neither limit, such as a text-only range). The track spans the limits and the
 * value with a margin either side, so a value far outside the range still lands on the track,
 * at its edge side, and the band keeps a readable width.
 */
export function rangeBar(value: number | undefined, range: RangeView | undefined, format: (n: number) => string = String): RangeBar | undefined {
  if (value === undefined || !Number.isFinite(value) || !range || (range.low === undefined && range.high === undefined)) return undefined;
  const known = [range.low, range.high, value].filter((n): n is number => n !== undefined);
  let min = Math.min(...known);
  let max = Math.max(...known);
  // A one-sided range gets room on its open side, as wide as the distance to the value (or the limit itself).
  const width = max - min || Math.abs(max) || 1;
  const margin = width * 0.25;
  min -= margin;
  max += margin;
  if (min < 0 && known.every((n) => n >= 0)) min = 0;
  const pos = (n: number) => Math.round(((n - min) / (max - min)) * 1000) / 10;
  return {
    band: { from: range.low === undefined ? 0 : pos(range.low), to: range.high === undefined ? 100 : pos(range.high), openLow: range.low === undefined, openHigh: range.high === undefined },
    marker: Math.min(100, Math.max(0, pos(value))),
    ...(range.low !== undefined ? { lowLabel: format(range.low) } : {}),
    ...(range.high !== undefined ? { highLabel: format(range.high) } : {}),
  };
}

/** The flag in words, from the chart's flag and, for a critical one, which side of the range. */
export function flagWords(point: Pick<ResultPoint, 'flag' | 'numbers' | 'range' | 'interpretation'>): string {
  const n = point.numbers[0];
  const { low, high } = point.range ?? {};
  switch (point.flag) {
    case 'high':
      return 'Higher than the usual range';
    case 'low':
      return 'Lower than the usual range';
    case 'critical':
      if (n !== undefined && high !== undefined && n > high) return 'Much higher than the usual range';
      if (n !== undefined && low !== undefined && n < low) return 'Much lower than the usual range';
      return 'Far from the usual result';
    case 'abnormal':
      return point.interpretation ? `Not the usual result (the lab says: ${point.interpretation})` : 'Not the usual result';
    default:
      break;
  }
  if (n !== undefined && (low !== undefined || high !== undefined)) return 'Within the usual range';
  // Several ranges (one per population) are never chosen between: they are shown, not judged.
  if (point.range?.text && n !== undefined) return `Usual ranges given: ${point.range.text}; this result is not compared with them`;
  if (point.range?.text) return `The usual result is ${point.range.text}`;
  return 'No usual range was given, so this result is not compared with one';
}

/** The result's status in plain words; undefined for a final result (nothing to say). */
export function statusWords(status: string | undefined): string | undefined {
  switch (status) {
    case undefined:
    case 'final':
      return undefined;
    case 'preliminary':
      return 'Preliminary: the lab may still change this result';
    case 'registered':
      return 'Waiting: the test is booked but has no result yet';
    case 'amended':
      return 'Amended: changed after it was first reported';
    case 'corrected':
      return 'Corrected: the lab fixed this result after first reporting it';
    case 'cancelled':
      return 'Cancelled: this test was not done';
    case 'entered-in-error':
      return 'Recorded in error: this result should be ignored';
    default:
      return 'The lab gave this result no final status';
  }
}

/** How a repeated test moved since the time before, in words; undefined for a single result. */
export function trendWords(series: Pick<ResultSeries, 'key' | 'category' | 'unit'>, points: readonly ResultPoint[], at: ResultPoint, timeZone?: string): string | undefined {
  const numeric = points.filter((p) => p.state === 'active' && p.numbers[0] !== undefined);
  const i = numeric.indexOf(at);
  const previous = i >= 0 ? numeric[i + 1] : undefined;
  if (!previous || at.numbers[0] === undefined) return undefined;
  const show = seriesNumberText(series);
  const [now, before] = [at.numbers[0], previous.numbers[0]!];
  const day = calendarDay(previous.date, timeZone);
  const when = day ? ` on ${day}` : '';
  const unit = series.unit ? ` ${series.unit}` : '';
  if (show(now) === show(before)) return `Same as last time (${show(before)}${unit}${when})`;
  return `${now > before ? 'Up' : 'Down'} from ${show(before)}${unit}${when}`;
}

/** One result explained. */
export interface ExplainedResult {
  series: ResultSeries;
  point: ResultPoint;
  /** The day the result is filed under (calendarDay: in the reader's time zone when the source gave a time), or 'undated'. */
  day: string;
  flagWords: string;
  statusWords?: string;
  trendWords?: string;
  bar?: RangeBar;
  /** A value sent as a limit ("<5") or in words: shown as sent, never drawn. */
  valueNote?: string;
  description?: TestDescription;
  /** Issued since the patient last looked at results (or recently, on a first look). */
  isNew: boolean;
}

export interface ResultDay {
  day: string;
  results: ExplainedResult[];
}

/** How far back results count as new on a device that has never opened the results page. */
export const FIRST_LOOK_NEW_DAYS = 14;

/** Whether a result counts as new: issued (else dated) after `since`, or, with no `since`, in the last FIRST_LOOK_NEW_DAYS. */
export function isNewResult(point: Pick<ResultPoint, 'issued' | 'date' | 'state'>, since: string | null, now: number): boolean {
  if (point.state !== 'active') return false;
  const at = dateMs(point.issued ?? point.date);
  if (!Number.isFinite(at) || at === 0) return false;
  const sinceMs = since === null ? Number.NaN : Date.parse(since);
  return Number.isNaN(sinceMs) ? at > now - FIRST_LOOK_NEW_DAYS * 86_400_000 : at > sinceMs;
}

function valueNote(series: ResultSeries, point: ResultPoint): string | undefined {
  if (point.numbers[0] !== undefined) return series.unit === undefined ? 'The lab sent no unit with this number.' : undefined;
  if (/^[<>≤≥]/.test(point.text)) return 'The lab reported a limit rather than an exact number.';
  return undefined;
}

/**
 * Explains one point of a series; with `describe` (lab-descriptions.ts describeTest), also what
 * the test measures: only the one result page shows it, so the lists do not load the descriptions.
 */
export function explainResult(series: ResultSeries, point: ResultPoint, since: string | null, now: number, timeZone?: string, describe?: typeof describeTest): ExplainedResult {
  const show = seriesNumberText(series);
  const bar = point.state === 'active' ? rangeBar(point.numbers[0], point.range, show) : undefined;
  const status = statusWords(point.state === 'entered-in-error' ? 'entered-in-error' : point.status);
  const trend = trendWords(series, series.points, point, timeZone);
  const note = valueNote(series, point);
  const description = describe?.(codeOfSeries(series), series.label);
  return {
    series,
    point,
    day: calendarDay(point.date, timeZone) ?? 'undated',
    flagWords: point.state === 'active' ? flagWords(point) : 'Not compared with a range',
    ...(status ? { statusWords: status } : {}),
    ...(trend ? { trendWords: trend } : {}),
    ...(bar ? { bar } : {}),
    ...(note ? { valueNote: note } : {}),
    ...(description ? { description } : {}),
    isNew: isNewResult(point, since, now),
  };
}

/** The series' code as a concept, for the description lookup (its key is `system|code` or `text:…`). */
function codeOfSeries(series: ResultSeries) {
  const bar = series.key.indexOf('|');
  const coding = bar >= 0 && !series.key.startsWith('text:') ? [{ ...(bar > 0 ? { system: series.key.slice(0, bar) } : {}), code: series.key.slice(bar + 1) }] : [];
  return { coding, text: series.title };
}

/**
 * Every result (entered-in-error left out), grouped by day, newest day first; within a day,
 * results out of range first, then by name. A test repeated on several days is under each day.
 */
export function groupResultsByDay(series: readonly ResultSeries[], since: string | null, now: number, timeZone?: string): ResultDay[] {
  const days = new Map<string, ExplainedResult[]>();
  for (const s of series) {
    for (const p of s.points) {
      if (p.state === 'entered-in-error') continue;
      const r = explainResult(s, p, since, now, timeZone);
      const list = days.get(r.day) ?? [];
      list.push(r);
      days.set(r.day, list);
    }
  }
  const rank = (r: ExplainedResult) => (r.point.flag === 'critical' ? 0 : r.point.flag ? 1 : 2);
  return [...days.entries()]
    .sort(([a], [b]) => (a === 'undated' ? 1 : b === 'undated' ? -1 : b.localeCompare(a)))
    .map(([day, results]) => ({ day, results: results.sort((a, b) => rank(a) - rank(b) || a.series.label.localeCompare(b.series.label)) }));
}

/** Results new since `since`, out of range first, newest first: what the home page announces. */
export function newResults(series: readonly ResultSeries[], since: string | null, now: number, timeZone?: string): ExplainedResult[] {
  return groupResultsByDay(series, since, now, timeZone).flatMap((d) => d.results).filter((r) => r.isNew);
}
