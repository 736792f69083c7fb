/**
 * FHIR date and time arithmetic for consent periods. A FHIR `date` or `dateTime` names an
 * interval at its precision ("2026" is the whole year, "2026-03-01" the whole day), and
 * R4 Period.end "includes any matching date/time": an end of 2026-12-31 ends when that day
 * does. Values without a timezone (dates, partial dateTimes) are read as UTC, the deployment
 * clock. Everything here is pure and never throws: unreadable values come back as undefined
 * so callers can fail closed.
 */
import type { Consent, Period } from '@medplum/fhirtypes';

/** A half-open interval [low, high) in epoch milliseconds. */
export interface Interval {
  low: number;
  high: number;
}

const FHIR_DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** The interval a FHIR date, dateTime or instant denotes, or undefined when it is not one. */
export function parseFhirTime(value: string | undefined): Interval | undefined {
  if (value === undefined) return undefined;
  const m = FHIR_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  if (month > 11 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = utc(year, month, day, hour, minute, second, ms);
  if (new Date(local).getUTCDate() !== day) return undefined; // 2026-02-30 and the like
  let offset = 0;
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  const low = local - offset;
  let high: number;
  if (mo === undefined) high = utc(year + 1, 0, 1);
  else if (d === undefined) high = utc(year, month + 1, 1);
  else if (h === undefined) high = utc(year, month, day + 1);
  else if (s === undefined) high = local + 60_000 - offset;
  else if (fraction === undefined) high = local + 1_000 - offset;
  else high = local + 1 - offset;
  return { low, high };
}

/** Where an instant lies relative to a period; 'invalid' when a bound is unreadable or inverted. */
export type PeriodPosition = 'before' | 'within' | 'after' | 'invalid';

/** The interval a Period covers, open bounds as ±Infinity; undefined when unreadable or inverted. */
export function periodInterval(start: string | undefined, end: string | undefined): Interval | undefined {
  const s = start === undefined ? { low: -Infinity, high: -Infinity } : parseFhirTime(start);
  const e = end === undefined ? { low: Infinity, high: Infinity } : parseFhirTime(end);
  if (s === undefined || e === undefined || s.low >= e.high) return undefined;
  return { low: s.low, high: e.high };
}

/** Where `nowMs` lies relative to the period from `start` (inclusive) to `end` (its whole unit). */
export function positionIn(start: string | undefined, end: string | undefined, nowMs: number): PeriodPosition {
  const interval = periodInterval(start, end);
  if (interval === undefined || !Number.isFinite(nowMs)) return 'invalid';
  if (nowMs < interval.low) return 'before';
  if (nowMs >= interval.high) return 'after';
  return 'within';
}

/** True when two intervals share at least one instant. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.low < b.high && b.low < a.high;
}

/** True when `inner` lies entirely inside `outer`. */
export function within(inner: Interval, outer: Interval): boolean {
  return inner.low >= outer.low && inner.high <= outer.high;
}

/**
 * The window in which a consent is in force. R4 Consent has no period of its own: the root
 * provision's `period` bounds "the timeframe in which this rule is valid". Where that period
 * has no start, the consent starts at `Consent.dateTime` (when it was recorded), because a
 * consent cannot be in force before it was given.
 */
export function consentWindow(consent: Consent): Period {
  const period = consent.provision?.period;
  const start = period?.start ?? consent.dateTime;
  const window: Period = {};
  if (start !== undefined) window.start = start;
  if (period?.end !== undefined) window.end = period.end;
  return window;
}
