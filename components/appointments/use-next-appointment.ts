'use client';
import { nextAppointment, type AppointmentLists } from '@/lib/fhir/compose/appointments';
import { useNow } from '@/components/ui/use-now';
import { useAppointments } from './use-appointments';
import { visitTime } from './visit-time';

/** What the portal home shows of the next appointment. */
export interface NextAppointmentItem {
  kind: 'appointment';
  title: string;
  detail?: string;
  href: string;
}

/**
 * The patient's next expected appointment (booked, pending, arrived or checked in), for the
 * portal home: its title, its date and time in the browser's time zone and its place, and a link
 * to the appointments page. Null while loading, when there is none, or when it cannot be read.
 * `nameTypes` are the types the launch may read to name people and places (default: none, so
 * only names the EHR gave are used).
 */
export function useNextAppointment(launchId: string, nameTypes: readonly string[] = []): NextAppointmentItem | null {
  const now = useNow();
  const { lists } = useAppointments(launchId, '', now, nameTypes);
  return lists ? nextAppointmentItem(lists, launchId) : null;
}

/** The home page's item for the next expected appointment, or null (pure; `timeZone` for tests). */
export function nextAppointmentItem(lists: AppointmentLists, launchId: string, timeZone?: string, locale?: string): NextAppointmentItem | null {
  const next = nextAppointment(lists);
  if (!next) return null;
  const when = visitTime(next, timeZone, locale);
  const detail = [when ? `${when.date}, ${when.time}` : undefined, next.place?.name].filter(Boolean).join(' · ');
  return { kind: 'appointment', title: next.people.length ? `${next.title} with ${next.people.join(', ')}` : next.title, ...(detail ? { detail } : {}), href: `/l/${launchId}/portal/appointments#${encodeURIComponent(`appt-${next.id}`)}` };
}
