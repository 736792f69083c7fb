import type { AccessVisit } from './access-visits';

/**
 * The access history as CSV for the patient's own records: one row per visit, the same words as
 * the page, times in the patient's time zone and in UTC. Every cell is quoted, and a cell that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe (OWASP CSV injection guidance), so a name in the EHR cannot run code.
 */

/** One CSV cell: neutralised against formulas, then quoted. */
export function csvCell(value: string | number | boolean): string {
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** A time zone the runtime knows (as the browser reported it), else UTC. */
export function safeTimeZone(tz: string | null | undefined): string {
  if (!tz || tz.length > 64) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}

/** "6 Dec 2026, 14:05", in `timeZone`. */
export function localTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const HEADER = ['Started', 'Ended', 'Time zone', 'Started (UTC)', 'Who', 'Looked at', 'Also', 'Emergency access', 'Refused', 'Withheld by your sharing choices', 'Steps'];

export function accessVisitsCsv(visits: readonly AccessVisit[], timeZone: string): string {
  const rows = visits.map((v) => [
    localTime(v.start, timeZone), localTime(v.end, timeZone), timeZone, v.start, v.who, v.looked ?? '', v.did.join('; '),
    v.emergency ? 'yes' : 'no', v.refused, v.withheld, v.steps.map((s) => `${s.words}${s.times > 1 ? ` (${s.times} times)` : ''}${s.outcome === 'allowed' ? '' : ` (${s.outcome})`}`).join('; '),
  ]);
  return `\uFEFF${[HEADER, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
