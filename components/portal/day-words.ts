import { calendarDay } from '@/lib/fhir/compose/datatypes';

/** A result day (YYYY-MM-DD, calendarDay in `timeZone`) in words: "Today", "Yesterday" (in `timeZone` too), else "31 October 2026". */
export function dayWords(day: string, now: number, timeZone = 'UTC'): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return 'Date not given';
  const today = calendarDay(new Date(now).toISOString(), timeZone);
  const yesterday = calendarDay(new Date(now - 86_400_000).toISOString(), timeZone);
  if (day === today) return 'Today';
  if (day === yesterday) return 'Yesterday';
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}
