import type { Appointment, Bundle, CodeableConcept, Location } from '@medplum/fhirtypes';
import { arr, conceptText, dateMs, fhirDate, num, obj, str } from './datatypes';
import { resourcesOf } from './entries';
import type { ComposeContext } from './items';
import { referenceKey, referenceName } from './people';
import { provenanceOf, type Provenance } from './provenance';

/**
 * The patient's appointments, for the portal: what, when, where and with whom, in words. Times
 * stay instants (the view formats them in the browser's time zone); people and places are
 * named, never `Type/id`; the patient's own participation is left out. Upcoming ones come
 * soonest first, past ones newest first; entered-in-error ones are not shown.
 */

export interface AppointmentPlace {
  name: string;
  /** One line: street, city, state and postcode, when the Location has an address. */
  address?: string;
}

export interface AppointmentView {
  key: string;
  id: string;
  title: string;
  /** The EHR's status code and the words the patient reads. */
  status: string;
  statusWords: string;
  /** Instants as the EHR sent them (any offset). */
  start?: string;
  end?: string;
  minutesDuration?: number;
  /** A proposed visit with no time yet: the period asked for. */
  requested?: { start?: string; end?: string };
  people: string[];
  place?: AppointmentPlace;
  /** What the patient is asked to do (patientInstruction); never the internal `comment`. */
  instructions?: string;
  cancellationReason?: string;
  provenance: Provenance;
}

export interface AppointmentLists {
  upcoming: AppointmentView[];
  past: AppointmentView[];
}

const STATUS_WORDS: Record<string, string> = {
  proposed: 'Proposed, not yet confirmed',
  pending: 'Waiting for confirmation',
  booked: 'Booked',
  arrived: 'Arrived',
  fulfilled: 'Attended',
  cancelled: 'Cancelled',
  noshow: 'Missed',
  'checked-in': 'Checked in',
  waitlist: 'On the waiting list',
};

/** Statuses of a visit that will happen: the ones "your next appointment" may name. */
export const EXPECTED_STATUSES: ReadonlySet<string> = new Set(['booked', 'pending', 'arrived', 'checked-in']);

/** Street, city, state and postcode on one line; undefined without any. */
export function addressLine(address: unknown): string | undefined {
  const a = obj(address);
  if (!a) return undefined;
  const text = str(a.text)?.trim();
  if (text) return text;
  const cityLine = [str(a.city), [str(a.state), str(a.postalCode)].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const parts = [...arr<unknown>(a.line).filter((l): l is string => typeof l === 'string' && l.trim().length > 0), cityLine].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

function placeOf(actor: unknown, ctx: AppointmentContext): AppointmentPlace | undefined {
  const key = referenceKey(actor);
  const location = key ? ctx.locations?.get(key) : undefined;
  const name = str(location?.name)?.trim() || referenceName(actor, ctx.names);
  if (!name) return undefined;
  const address = addressLine(location?.address);
  return address ? { name, address } : { name };
}

function actorType(actor: unknown): string | undefined {
  return referenceKey(actor)?.split('/')[0] ?? str(obj(actor)?.type);
}

export interface AppointmentContext extends ComposeContext {
  /** Locations read for the appointments (`Location/{id}` → resource), for their addresses. */
  locations?: ReadonlyMap<string, Location>;
}

export function toAppointmentView(a: Appointment, index: number, ctx: AppointmentContext): AppointmentView {
  const status = str(a.status) ?? 'unknown';
  const people: string[] = [];
  let place: AppointmentPlace | undefined;
  for (const p of arr<unknown>(a.participant)) {
    const actor = obj(p)?.actor;
    if (!obj(actor)) continue;
    const type = actorType(actor);
    if (type === 'Patient') continue;
    if (type === 'Location') {
      place ??= placeOf(actor, ctx);
      continue;
    }
    const name = referenceName(actor, ctx.names);
    if (name && !people.includes(name)) people.push(name);
  }
  const requested = obj(arr<unknown>(a.requestedPeriod)[0]);
  const title = str(a.description)?.trim() || arr<CodeableConcept>(a.serviceType).map((c) => conceptText(c, '')).find(Boolean) || conceptText(a.appointmentType, '') || 'Appointment';
  const view: AppointmentView = {
    key: `Appointment/${str(a.id) ?? `no-id-${index}`}#${index}`,
    id: str(a.id) ?? '',
    title,
    status,
    statusWords: STATUS_WORDS[status] ?? 'Status not given',
    people,
    provenance: provenanceOf(a, ctx.source, ctx.fetchedAt),
  };
  const start = fhirDate(a.start);
  const end = fhirDate(a.end);
  if (start) view.start = start;
  if (end) view.end = end;
  const minutes = num(a.minutesDuration);
  if (minutes !== undefined && minutes > 0) view.minutesDuration = minutes;
  if (!start && requested) view.requested = { ...(fhirDate(requested.start) ? { start: fhirDate(requested.start) } : {}), ...(fhirDate(requested.end) ? { end: fhirDate(requested.end) } : {}) };
  if (place) view.place = place;
  const instructions = str(a.patientInstruction)?.trim();
  if (instructions) view.instructions = instructions;
  const reason = status === 'cancelled' ? conceptText(a.cancelationReason, '') : '';
  if (reason) view.cancellationReason = reason;
  return view;
}

/** When a visit stops being upcoming: its end, else its start plus its duration, else its start. */
function endsAt(v: AppointmentView): number {
  if (v.end) return dateMs(v.end);
  if (v.start) return dateMs(v.start) + (v.minutesDuration ?? 0) * 60_000;
  return dateMs(v.requested?.end ?? v.requested?.start);
}

function startsAt(v: AppointmentView): number {
  return dateMs(v.start ?? v.requested?.start);
}

/** Upcoming (not yet over at `now`, soonest first) and past (newest first). */
export function toAppointmentLists(bundle: Bundle | undefined, ctx: AppointmentContext, now: number): AppointmentLists {
  const views = resourcesOf<Appointment>(bundle, 'Appointment')
    .filter((a) => a.status !== 'entered-in-error')
    .map((a, i) => toAppointmentView(a, i, ctx));
  const undated = views.filter((v) => !Number.isFinite(startsAt(v)));
  const dated = views.filter((v) => Number.isFinite(startsAt(v)));
  const upcoming = dated.filter((v) => endsAt(v) >= now && v.status !== 'fulfilled' && v.status !== 'noshow').sort((a, b) => startsAt(a) - startsAt(b));
  const past = dated.filter((v) => !upcoming.includes(v)).sort((a, b) => startsAt(b) - startsAt(a));
  // An appointment with no time at all is still to be arranged: listed after the dated ones.
  return { upcoming: [...upcoming, ...undated], past };
}

/** The first upcoming appointment that is expected to happen (booked, pending, arrived, checked in). */
export function nextAppointment(lists: AppointmentLists): AppointmentView | undefined {
  return lists.upcoming.find((v) => EXPECTED_STATUSES.has(v.status) && v.start !== undefined);
}

/** `Location/{id}` keys of the places the appointments reference, to read their addresses. */
export function appointmentLocationKeys(bundle: Bundle | undefined): string[] {
  const keys = new Set<string>();
  for (const a of resourcesOf<Appointment>(bundle, 'Appointment')) {
    for (const p of arr<unknown>(a.participant)) {
      const key = referenceKey(obj(p)?.actor);
      if (key?.startsWith('Location/')) keys.add(key);
    }
  }
  return [...keys].sort();
}
