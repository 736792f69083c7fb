import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeText, foldLine, IcsError, utcStamp, writeIcs, type CalendarEvent } from './ics';
import { icsInstant, parseIcs } from './ics.testing';

const NOW = new Date('2026-11-01T09:00:00.123Z');
const visit: CalendarEvent = {
  uid: 'appt-001-v1.sandbox@housecall',
  start: '2026-11-07T14:30:00Z',
  end: '2026-11-07T15:10:00Z',
  summary: 'Heart check-up with Dr. Sam Simulacrum',
  location: 'Sandbox Heart Clinic (fictional), 12 Example Road, Suite 3, Testville',
  description: 'Bring your medicines, glucose log; arrive early.\nFasting not needed.',
  status: 'CONFIRMED',
};

describe('writeIcs', () => {
  it('writes a VCALENDAR a strict reader parses back to the same event', () => {
    const text = writeIcs([visit], NOW);
    const { calendar, events } = parseIcs(text);
    expect(calendar).toMatchObject({ BEGIN: 'VCALENDAR', VERSION: '2.0', PRODID: '-//Housecall//Appointments//EN', END: 'VCALENDAR' });
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.UID).toBe(visit.uid);
    expect(e.DTSTAMP).toBe('20261101T090000Z');
    expect(icsInstant(e.DTSTART!)).toBe(Date.parse(visit.start));
    expect(icsInstant(e.DTEND!)).toBe(Date.parse(visit.end!));
    expect(e.SUMMARY).toBe(visit.summary);
    expect(e.LOCATION).toBe(visit.location);
    expect(e.DESCRIPTION).toBe(visit.description);
    expect(e.STATUS).toBe('CONFIRMED');
    expect(e.DURATION).toBeUndefined();
  });

  it('ends every line with CRLF, never a bare LF', () => {
    const text = writeIcs([visit], NOW);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes times given with an offset in UTC with Z', () => {
    const e = parseIcs(writeIcs([{ ...visit, start: '2026-11-07T20:00:00+05:30', end: '2026-11-07T20:40:00+05:30' }], NOW)).events[0]!;
    expect(e.DTSTART).toBe('20261107T143000Z');
    expect(e.DTEND).toBe('20261107T151000Z');
  });

  it('uses DURATION when the EHR gave no end, and neither when it gave no duration either', () => {
    const { end: _, ...noEnd } = visit;
    const withDuration = parseIcs(writeIcs([{ ...noEnd, minutesDuration: 90 }], NOW)).events[0]!;
    expect(withDuration.DURATION).toBe('PT1H30M');
    expect(withDuration.DTEND).toBeUndefined();
    expect(parseIcs(writeIcs([{ ...noEnd, minutesDuration: 20 }], NOW)).events[0]!.DURATION).toBe('PT20M');
    expect(parseIcs(writeIcs([{ ...noEnd, minutesDuration: 120 }], NOW)).events[0]!.DURATION).toBe('PT2H');
    const bare = parseIcs(writeIcs([noEnd], NOW)).events[0]!;
    expect(bare.DTEND).toBeUndefined();
    expect(bare.DURATION).toBeUndefined();
  });

  it('gives the same UID for the same appointment every time', () => {
    const a = parseIcs(writeIcs([visit], NOW)).events[0]!.UID;
    const b = parseIcs(writeIcs([visit], new Date('2026-12-01T00:00:00Z'))).events[0]!.UID;
    expect(a).toBe(b);
  });

  it('refuses a start or end that is not a time, an end before the start, and a UID with a line break', () => {
    const code = (e: CalendarEvent) => { try { writeIcs([e], NOW); return 'written'; } catch (err) { return err instanceof IcsError ? err.code : String(err); } };
    expect(code({ ...visit, start: 'tomorrow' })).toBe('invalid-start');
    expect(code({ ...visit, end: 'later' })).toBe('invalid-end');
    expect(code({ ...visit, end: '2026-11-07T14:00:00Z' })).toBe('invalid-end');
    expect(code({ ...visit, uid: 'a\r\nX-EVIL:1' })).toBe('invalid-uid');
  });
});

describe('escapeText', () => {
  it('escapes backslash, semicolon, comma and every kind of newline', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });
  it('cannot be broken out of: a value with a fake property stays one value', () => {
    const e = parseIcs(writeIcs([{ ...visit, summary: 'X\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil' }], NOW)).events;
    expect(e).toHaveLength(1);
    expect(e[0]!.SUMMARY).toBe('X\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:evil');
  });
});

describe('foldLine', () => {
  it('keeps a 75-octet line whole and folds the 76th octet onto a continuation line', () => {
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });
  it('counts octets, not characters, and never splits a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(40)}`; // 8 + 80 octets
    const parts = foldLine(line).split('\r\n');
    for (const p of parts) expect(new TextEncoder().encode(p).length).toBeLessThanOrEqual(75);
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
  });
  it('round-trips any text through write and parse (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ maxLength: 200 }), (summary, location) => {
      const e = parseIcs(writeIcs([{ ...visit, summary, location: location || undefined }], NOW)).events[0]!;
      expect(e.SUMMARY).toBe(summary.replace(/\r\n|\r/g, '\n'));
      if (location) expect(e.LOCATION).toBe(location.replace(/\r\n|\r/g, '\n'));
    }), { numRuns: 300 });
  });
});

describe('utcStamp', () => {
  it('drops milliseconds and punctuation', () => {
    expect(utcStamp('2026-03-29T01:30:00.999+01:00')).toBe('20260329T003000Z');
  });
});
