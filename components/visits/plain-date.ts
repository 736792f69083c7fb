/**
 * A FHIR date or instant as a person reads it, in the browser's time zone ("November 7, 2026").
 * A bare date (`2026-11-07`) is a calendar day, not an instant: it is shown as that day
 * wherever the reader is.
 */
export function plainDate(value: string, locale?: string, timeZone?: string): string {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const monthOnly = /^\d{4}-\d{2}$/.test(value);
  if (/^\d{4}$/.test(value)) return value;
  const at = new Date(dayOnly ? `${value}T12:00:00Z` : monthOnly ? `${value}-15T12:00:00Z` : value);
  if (Number.isNaN(at.getTime())) return value;
  const zone = dayOnly || monthOnly ? { timeZone: 'UTC' } : timeZone ? { timeZone } : {};
  return new Intl.DateTimeFormat(locale, { ...zone, year: 'numeric', month: 'long', ...(monthOnly ? {} : { day: 'numeric' }) }).format(at);
}
