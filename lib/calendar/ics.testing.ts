/**
 * A strict reader of the iCalendar files Housecall writes, for tests (unit and e2e): it refuses
 * bare LF line ends and lines over 75 octets, unfolds, and unescapes TEXT values.
 */
export interface ParsedEvent {
  [property: string]: string;
}

export function parseIcs(text: string): { calendar: Record<string, string>; events: ParsedEvent[] } {
  if (!text.endsWith('\r\n')) throw new Error('not CRLF-terminated');
  const raw = text.slice(0, -2).split('\r\n');
  for (const line of raw) {
    if (line.includes('\n') || line.includes('\r')) throw new Error(`bare line break in ${JSON.stringify(line)}`);
    if (new TextEncoder().encode(line).length > 75) throw new Error(`line over 75 octets: ${line}`);
  }
  const lines: string[] = [];
  for (const line of raw) {
    if (line.startsWith(' ')) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const calendar: Record<string, string> = {};
  const events: ParsedEvent[] = [];
  let current: ParsedEvent | null = null;
  for (const line of lines) {
    const at = line.indexOf(':');
    if (at < 1) throw new Error(`no value in ${line}`);
    const name = line.slice(0, at);
    const value = line.slice(at + 1);
    if (name === 'BEGIN' && value === 'VEVENT') current = {};
    else if (name === 'END' && value === 'VEVENT') {
      events.push(current!);
      current = null;
    } else if (current) {
      if (/(^|[^\\])(\\\\)*[;,]/.test(value) && !['DTSTART', 'DTEND', 'DTSTAMP'].includes(name)) throw new Error(`unescaped ; or , in ${name}`);
      current[name] = value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
    } else calendar[name] = value;
  }
  return { calendar, events };
}

/** Milliseconds of a UTC DATE-TIME (20261107T143000Z). */
export function icsInstant(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`not a UTC DATE-TIME: ${value}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
