'use client';
import { calendarDay } from '@/lib/fhir/compose/calendar-day';
import { useTimeZone } from './use-time-zone';

/**
 * The calendar day of a FHIR date or dateTime in the reader's time zone (calendarDay), after
 * `prefix`; nothing for a value that is not a date. A component of its own so a first screen
 * rendered on the server shows its days in UTC, as the browser's first render does, and in the
 * reader's zone as soon as its scripts run.
 */
export function LocalDay({ value, prefix = '' }: { value: string | undefined; prefix?: string }) {
  const day = calendarDay(value, useTimeZone());
  return day ? <>{prefix}{day}</> : null;
}
