/* A module of its own: the first screen's dates are put in the reader's zone by a small client
 * component (components/ui/local-day.tsx) that must not bring the rest of datatypes.ts with it. */

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar day (YYYY-MM-DD) of a FHIR date or dateTime where the reader is: a dateTime
 * with a time and an offset (Epic and Oracle Health send results in UTC, `…T01:30:00Z`) is
 * an instant, and its day is the day in `timeZone` (a draw at 20:30 in New York is sent as
 * the next day in UTC); a date, or a time with no offset, keeps the day the source wrote.
 * `timeZone` defaults to UTC, so the server and the browser's first render agree; views pass
 * the browser's zone once they run (use-time-zone.ts). Undefined for a value that is not a date.
 */
export function calendarDay(value: string | undefined, timeZone = 'UTC'): string | undefined {
  if (!value || !/^\d{4}(-\d{2}){0,2}(T|$)/.test(value)) return undefined;
  if (!/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return value.slice(0, 10);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return value.slice(0, 10);
  let format = dayFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      return calendarDay(value, 'UTC');
    }
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
