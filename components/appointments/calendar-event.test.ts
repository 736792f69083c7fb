import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, VISIT_LOCATION_ID, visitPlan } from '@/fixtures';
import { toAppointmentLists } from '@/lib/fhir';
import { writeIcs } from '@/lib/calendar';
import { icsInstant, parseIcs } from '@/lib/calendar/ics.testing';
import { bundleOf, chartOf, ctx, theSeed } from '@/lib/fhir/compose/testing';
import { calendarFileName, toCalendarEvent } from './calendar-event';
import { visitTime } from './visit-time';

const plan = visitPlan('pat-001');
const location = theSeed().shared.find((r) => r.id === VISIT_LOCATION_ID)!;
const lists = toAppointmentLists(bundleOf(chartOf('pat-001').of('Appointment')), { ...ctx, names: new Map([['Practitioner/prac-002', 'Dr. Sam Simulacrum']]), locations: new Map([[`Location/${VISIT_LOCATION_ID}`, location as never]]) }, Date.parse(FIXTURE_NOW));
const next = lists.upcoming[0]!;

describe('toCalendarEvent', () => {
  it('turns the next appointment into an event a calendar reads back: who, where, when in UTC, the instructions escaped', () => {
    const event = toCalendarEvent(next, 'sandbox')!;
    const e = parseIcs(writeIcs([event], new Date(FIXTURE_NOW))).events[0]!;
    expect(e.UID).toBe(`${plan.next.id}.sandbox@housecall`);
    expect(e.SUMMARY).toBe('Heart check-up with Dr. Sam Simulacrum');
    expect(e.LOCATION).toBe('Sandbox Heart Clinic (fictional), 12 Example Road, Suite 3, Testville, ZZ 00000');
    expect(icsInstant(e.DTSTART!)).toBe(Date.parse(plan.next.start));
    expect(icsInstant(e.DTEND!)).toBe(Date.parse(plan.next.end));
    expect(e.DESCRIPTION).toContain('glucose log; arrive');
    expect(e.STATUS).toBe('CONFIRMED');
    expect(JSON.stringify(e)).not.toMatch(/Ada|Testcase|pat-001/);
  });
  it('has nothing to add for a visit with no time yet, and marks a cancelled one', () => {
    expect(toCalendarEvent(lists.upcoming.find((v) => v.id === plan.proposed.id)!, 'sandbox')).toBeUndefined();
    expect(toCalendarEvent(lists.upcoming.find((v) => v.id === plan.cancelled.id)!, 'sandbox')?.status).toBe('CANCELLED');
  });
  it('names the file after the visit and day only', () => {
    expect(calendarFileName(next)).toBe(`Heart-check-up-${plan.next.start.slice(0, 10)}.ics`);
  });
});

describe('visitTime', () => {
  it('says the time in the zone given, not UTC', () => {
    const kolkata = visitTime({ start: '2026-11-07T14:30:00Z', end: '2026-11-07T15:10:00Z' }, 'Asia/Kolkata', 'en-US')!;
    expect(kolkata.date).toBe('Saturday, November 7, 2026');
    expect(kolkata.time.replace(/\s/g, ' ')).toBe('8:00 PM – 8:40 PM');
    expect(kolkata.zone).toBe('India Standard Time');
    const la = visitTime({ start: '2026-11-07T14:30:00Z' }, 'America/Los_Angeles', 'en-US')!;
    expect(la.time.replace(/\s/g, ' ')).toBe('6:30 AM (end time not given)');
  });
  it('uses the duration when there is no end, and crosses midnight honestly', () => {
    expect(visitTime({ start: '2026-11-07T14:30:00Z', minutesDuration: 20 }, 'UTC', 'en-US')!.time.replace(/\s/g, ' ')).toBe('2:30 PM – 2:50 PM');
    expect(visitTime({ start: '2026-11-07T23:30:00Z', end: '2026-11-08T00:30:00Z' }, 'UTC', 'en-US')!.time.replace(/\s/g, ' ')).toBe('11:30 PM – Sunday, November 8, 2026, 12:30 AM');
  });
  it('says a proposed visit has no time yet', () => {
    expect(visitTime({ requested: { start: '2026-12-31T10:00:00Z', end: '2027-01-07T10:00:00Z' } }, 'UTC', 'en-US')!.date).toBe('Time to be agreed, between Thursday, December 31, 2026 and Thursday, January 7, 2027');
  });
});
