/**
 * An iCalendar (RFC 5545) writer for "Add to calendar": one VEVENT per appointment, built in
 * the browser and handed to the person as a file, so nothing about the visit travels in a URL.
 *
 * What the RFC asks of us, and where: CRLF line ends (§3.1); content lines folded at 75 octets,
 * never inside a UTF-8 character, continuation lines starting with one space (§3.1); TEXT values
 * escape backslash, semicolon, comma and newline (§3.3.11); DATE-TIME in UTC with the `Z` form
 * (§3.3.5, form #2), so no VTIMEZONE is needed and every calendar shows the visit at its local
 * time; VEVENT needs UID and DTSTAMP (§3.6.1); DTEND or DURATION, never both, and with neither a
 * DATE-TIME start is an instant (§3.6.1). Pure: the clock comes in as a parameter.
 */

/** One appointment as a calendar event. */
export interface CalendarEvent {
  /** Stable per appointment, so importing it twice updates rather than duplicates (§3.8.4.7). */
  uid: string;
  /** Instant the visit starts (ISO 8601 with an offset or Z). */
  start: string;
  /** Instant it ends, when the EHR gave one. */
  end?: string;
  /** Used when there is no end: DURATION (§3.8.2.5). */
  minutesDuration?: number;
  summary: string;
  location?: string;
  description?: string;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
}

/** Why an event cannot be written. */
export class IcsError extends Error {
  constructor(readonly code: 'invalid-start' | 'invalid-end' | 'invalid-uid') {
    super(code);
    this.name = 'IcsError';
  }
}

/** Escapes a TEXT value (§3.3.11): `\` `;` `,` and newlines; bare CRs are dropped. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** UTC DATE-TIME (§3.3.5 form #2): 20261107T143000Z. */
export function utcStamp(instant: string | number | Date): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new IcsError('invalid-start');
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

const encoder = new TextEncoder();

/** Folds one content line at 75 octets (§3.1), never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function durationOf(minutes: number): string {
  const whole = Math.round(minutes);
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  return `PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

function eventLines(e: CalendarEvent, dtstamp: string): string[] {
  if (!e.uid || /[\r\n]/.test(e.uid)) throw new IcsError('invalid-uid');
  const start = utcStamp(e.start);
  const lines = ['BEGIN:VEVENT', `UID:${escapeText(e.uid)}`, `DTSTAMP:${dtstamp}`, `DTSTART:${start}`];
  if (e.end !== undefined) {
    const endMs = Date.parse(e.end);
    if (!Number.isFinite(endMs) || endMs < Date.parse(e.start)) throw new IcsError('invalid-end');
    lines.push(`DTEND:${utcStamp(endMs)}`);
  } else if (e.minutesDuration !== undefined && e.minutesDuration > 0) {
    lines.push(`DURATION:${durationOf(e.minutesDuration)}`);
  }
  lines.push(`SUMMARY:${escapeText(e.summary)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.status) lines.push(`STATUS:${e.status}`);
  lines.push('END:VEVENT');
  return lines;
}

/** A whole VCALENDAR with these events, CRLF-terminated and folded. `now` is the DTSTAMP. */
export function writeIcs(events: readonly CalendarEvent[], now: Date): string {
  const dtstamp = utcStamp(now);
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Housecall//Appointments//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', ...events.flatMap((e) => eventLines(e, dtstamp)), 'END:VCALENDAR'];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
