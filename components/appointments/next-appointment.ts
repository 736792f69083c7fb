import { nextAppointment, type AppointmentLists } from '@/lib/fhir/compose/appointments';
import { visitTime } from './visit-time';

/** What the portal home shows of the next appointment. */
export interface NextAppointmentItem {
  kind: 'appointment';
  title: string;
  detail?: string;
  href: string;
}

/** The home page's item for the next expected appointment, or null (pure; `timeZone` for tests). */
export function nextAppointmentItem(lists: AppointmentLists, launchId: string, timeZone?: string, locale?: string): NextAppointmentItem | null {
  const next = nextAppointment(lists);
  if (!next) return null;
  const when = visitTime(next, timeZone, locale);
  const detail = [when ? `${when.date}, ${when.time}` : undefined, next.place?.name].filter(Boolean).join(' · ');
  return { kind: 'appointment', title: next.people.length ? `${next.title} with ${next.people.join(', ')}` : next.title, ...(detail ? { detail } : {}), href: `/l/${launchId}/portal/appointments#${encodeURIComponent(`appt-${next.id}`)}` };
}
