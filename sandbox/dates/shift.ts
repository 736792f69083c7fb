/**
 * Moving the seed's dates so that its anchor day is another day (`SANDBOX_DATES`).
 *
 * The fixtures are built around one day (FIXTURE_NOW, 2026-11-01 09:00 UTC). Tests keep that day
 * (`SANDBOX_DATES=fixed`, the default) and set the browser's clock where it matters; the demo runs
 * on the real clock and asks for `today`, so every seeded date moves by the same whole number of
 * days and the seed's anchor day becomes today (UTC calendar days, like the fixtures).
 *
 * The rules, by the precision a value has:
 * - a full date (`2026-11-01`) moves by that many calendar days;
 * - a date-time or instant (`2026-11-01T09:30:00.250+02:00`) keeps its time of day, fraction and
 *   offset exactly as written, and its date part moves by the same days, which is the same as
 *   adding days × 24 h to the instant, so the order of any two values is kept exactly. Weekdays
 *   move with the days (the offset is not rounded to whole weeks: the anchor day must be today);
 * - a month (`2026-11`) moves by the whole calendar months between the anchor's month and the
 *   new day's month, and a year (`2026`) by the whole years, so the anchor's month (year) becomes
 *   the new day's month (year). They keep their precision (no day is invented) and their order
 *   among themselves exactly; against a full date, which moves by days, a partial value can come
 *   out a month (a year) nearer or further than it was, since its day is not known.
 * Anything that is not a FHIR date value is returned as it is. The walk that decides which values
 * are dates (by element type) is in `./seed.ts`; this file is pure string arithmetic.
 */
import { FIXTURE_NOW } from '../../fixtures/prng';
import { SandboxConfigError } from '../config';

const DAY_MS = 86_400_000;

/** How one set of dates moves: from the day the data is built around to the day it should be. */
export interface DateShift {
  fromDay: string;
  toDay: string;
  /** Whole days from `fromDay` to `toDay` (negative: into the past). */
  days: number;
  /** Whole calendar months from `fromDay`'s month to `toDay`'s (for `YYYY-MM` values). */
  months: number;
  /** Whole calendar years from `fromDay`'s year to `toDay`'s (for `YYYY` values). */
  years: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** FHIR date, dateTime and instant: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a full date with a time (and zone). */
const VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Midnight UTC of a real calendar day, else undefined (`2026-02-30`). */
function calendarDay(y: number, m: number, d: number): Date | undefined {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t : undefined;
}

function formatDay(t: Date): string {
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1, 2)}-${pad(t.getUTCDate(), 2)}`;
}

function checkYear(year: number, value: string, shift: DateShift): void {
  if (year < 1 || year > 9999) throw new RangeError(`Moving ${value} from ${shift.fromDay} to ${shift.toDay} leaves the years FHIR can write (0001-9999)`);
}

/** The UTC calendar day (`YYYY-MM-DD`) of an instant. */
export function utcDay(instant: Date | string): string {
  const t = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(t.getTime())) throw new RangeError(`Not an instant: ${String(instant)}`);
  return t.toISOString().slice(0, 10);
}

/** The day the fixtures are built around (FIXTURE_NOW's UTC date). */
export const SEED_ANCHOR_DAY = utcDay(FIXTURE_NOW);

function parseDay(day: string): Date {
  const m = DAY.exec(day);
  const t = m && calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!t) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  return t;
}

/** The shift that makes `fromDay` become `toDay` (both `YYYY-MM-DD`). */
export function dateShift(fromDay: string, toDay: string): DateShift {
  const from = parseDay(fromDay);
  const to = parseDay(toDay);
  return {
    fromDay,
    toDay,
    days: Math.round((to.getTime() - from.getTime()) / DAY_MS),
    months: (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()),
    years: to.getUTCFullYear() - from.getUTCFullYear(),
  };
}

/**
 * One FHIR date, dateTime or instant value moved by `shift`, at the precision it has (see the
 * rules above). A string that is not such a value (or names no real day) comes back unchanged.
 */
export function shiftDateValue(value: string, shift: DateShift): string {
  const m = VALUE.exec(value);
  if (!m) return value;
  const year = Number(m[1]);
  if (m[2] === undefined) {
    checkYear(year + shift.years, value, shift);
    return pad(year + shift.years, 4);
  }
  const month = Number(m[2]);
  if (month < 1 || month > 12) return value;
  if (m[3] === undefined) {
    const index = year * 12 + (month - 1) + shift.months;
    checkYear(Math.floor(index / 12), value, shift);
    return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1, 2)}`;
  }
  const day = calendarDay(year, month, Number(m[3]));
  if (!day) return value;
  const moved = new Date(day.getTime() + shift.days * DAY_MS);
  checkYear(moved.getUTCFullYear(), value, shift);
  return formatDay(moved) + (m[4] ?? '');
}

/**
 * `SANDBOX_DATES`: `fixed` (the default: the seed keeps its own days), `today` (the seed's
 * anchor day becomes today's UTC date) or a day `YYYY-MM-DD` (it becomes that day). Returns the
 * day the anchor should become, or null to keep the seed as built.
 */
export function readSandboxDates(env: Record<string, string | undefined> = process.env, now: Date = new Date()): string | null {
  const raw = env.SANDBOX_DATES?.trim() ?? '';
  if (raw === '' || raw === 'fixed') return null;
  if (raw === 'today') return utcDay(now);
  try {
    parseDay(raw);
    return raw;
  } catch {
    throw new SandboxConfigError(`Invalid sandbox environment:\nSANDBOX_DATES must be fixed, today or a day YYYY-MM-DD (got ${JSON.stringify(raw)})`);
  }
}

/** One line for start-up output: how the seed's dates were moved, or that they were not. */
export function describeDateShift(shift: DateShift | null): string {
  if (!shift) return 'Seed dates: fixed (the fixtures\' own days; SANDBOX_DATES=today moves them to today)';
  const days = `${shift.days >= 0 ? '+' : ''}${shift.days} ${Math.abs(shift.days) === 1 ? 'day' : 'days'}`;
  return `Seed dates: moved ${days} (the seed's ${shift.fromDay} is now ${shift.toDay}; SANDBOX_DATES=fixed keeps them)`;
}
