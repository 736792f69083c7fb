import type { AppointmentView } from '@/lib/fhir/compose/appointments';
import type { CalendarEvent } from '@/lib/calendar';

const STATUS: Record<string, CalendarEvent['status']> = {
  booked: 'CONFIRMED', arrived: 'CONFIRMED', 'checked-in': 'CONFIRMED', fulfilled: 'CONFIRMED',
  proposed: 'TENTATIVE', pending: 'TENTATIVE', waitlist: 'TENTATIVE', cancelled: 'CANCELLED', noshow: 'CANCELLED',
};

/**
 * An appointment as a calendar event. The UID is the EHR's appointment id under the issuer, so
 * adding the same visit again updates the entry; it names no patient. Undefined for an
 * appointment with no time yet.
 */
export function toCalendarEvent(v: AppointmentView, issuerId: string): CalendarEvent | undefined {
  if (!v.start || !v.id) return undefined;
  const summary = v.people.length ? `${v.title} with ${v.people.join(', ')}` : v.title;
  const location = v.place ? [v.place.name, v.place.address].filter(Boolean).join(', ') : undefined;
  const status = STATUS[v.status];
  return {
    uid: `${v.id}.${issuerId}@housecall`,
    start: v.start,
    ...(v.end ? { end: v.end } : v.minutesDuration ? { minutesDuration: v.minutesDuration } : {}),
    summary,
    ...(location ? { location } : {}),
    ...(v.instructions ? { description: v.instructions } : {}),
    ...(status ? { status } : {}),
  };
}

/** A file name for the download that says what it is, without the patient's name. */
export function calendarFileName(v: AppointmentView): string {
  const day = v.start ? v.start.slice(0, 10) : 'appointment';
  const title = v.title.replace(/[^A-Za-z0-9 -]+/g, '').trim().replace(/\s+/g, '-').slice(0, 40) || 'appointment';
  return `${title}-${day}.ics`;
}
