/**
 * What the home's message and appointment lines are made with once their answers are in: a
 * chunk of its own (later-chunk.ts), asked for while those searches are on their way, so the
 * home's first load does not carry the composition of messages and appointments. Pure.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { toAppointmentLists } from '@/lib/fhir/compose/appointments';
import { namesInBundles } from '@/lib/fhir/compose/people';
import { nextAppointmentItem, type NextAppointmentItem } from '@/components/appointments/next-appointment';

export { unreadItems } from '@/components/messages/unread-items';

/**
 * The home's line for the next expected appointment in an appointment search, or null. People
 * are named as the EHR named them in the answer (the home reads no Practitioner for it).
 */
export function nextAppointmentFrom(bundle: Bundle, fetchedAt: string, launchId: string, now: number, timeZone?: string): NextAppointmentItem | null {
  const lists = toAppointmentLists(bundle, { source: '', fetchedAt, names: namesInBundles([bundle]), locations: new Map() }, now);
  return nextAppointmentItem(lists, launchId, timeZone);
}
