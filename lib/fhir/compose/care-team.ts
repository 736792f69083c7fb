import type { Bundle, CareTeam, Encounter } from '@medplum/fhirtypes';
import { arr, conceptText, dateMs, obj, str } from './datatypes';
import { resourcesOf } from './entries';
import { referenceKey, type NameDirectory } from './people';

/**
 * The people who care for a patient, for a person to pick by name: CareTeam participants whose
 * part is in force (team active, participant and team period around `now`) and the
 * practitioners on recent Encounters, one entry per Practitioner. Real exports are messy: a
 * member referenced without a display (named from the Practitioner read through the proxy, see
 * `NameDirectory`), absolute or versioned references, a member given only by display (no
 * reference, so no one can choose them: left out), the patient and their relatives listed as
 * members, the same person twice, roles as a coding without text. A person whose name cannot
 * be had is left out rather than shown as "a clinician": no one picks a person they cannot name.
 * Never shows an id. Pure.
 */

export interface CarePerson {
  /** `Practitioner/{id}`: what a consent or a message names. Never shown to a person. */
  reference: string;
  /** How the patient knows them ("Dr. Quinn Placebo"). */
  name: string;
  /** Their part in the patient's care, in words ("GP", "Cardiologist", "Saw you at a recent visit"). */
  role: string;
  source: 'care-team' | 'encounter';
}

export interface CarePeopleInput {
  careTeams: (Bundle | undefined)[];
  encounters: (Bundle | undefined)[];
  /** Names of Practitioners read for references without a display. */
  names?: NameDirectory;
  /** The patient whose teams these are: teams and encounters about anyone else are ignored. */
  patientId?: string;
  now: Date;
  /** How far back an encounter still counts as recent. */
  recentDays?: number;
}

/** The searches behind the list, through the launch's proxy (which pins them to the patient). `Encounter` is the chart's own request, so the two share one answer. */
export const CARE_PEOPLE_REQUESTS = { careTeams: 'CareTeam?_count=50', encounters: 'Encounter?_sort=-date&_count=50' } as const;

/** Encounters within this many days make their practitioners part of the list. */
export const RECENT_ENCOUNTER_DAYS = 548;

/** Role of someone known only from a visit. */
export const ENCOUNTER_ROLE = 'Saw you at a recent visit';

const DAY_MS = 86_400_000;
const CARE_TEAM_OFF = new Set(['proposed', 'suspended', 'inactive', 'entered-in-error']);
const ENCOUNTER_OFF = new Set(['planned', 'cancelled', 'entered-in-error']);
const LOOKS_LIKE_ID = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]+$|^[0-9a-f-]{16,}$/i;

/** A period's bounds in ms; a date-only end lasts to the end of that day. Unreadable bounds count as open. */
function bounds(period: unknown): { start: number; end: number } {
  const p = obj(period);
  const start = dateMs(str(p?.start));
  const endText = str(p?.end);
  let end = dateMs(endText);
  if (endText && /^\d{4}(-\d{2}){0,2}$/.test(endText) && Number.isFinite(end)) end += endText.length === 10 ? DAY_MS : endText.length === 7 ? 31 * DAY_MS : 366 * DAY_MS;
  return { start: Number.isFinite(start) ? start : Number.NEGATIVE_INFINITY, end: Number.isFinite(end) ? end : Number.POSITIVE_INFINITY };
}

function inPeriod(period: unknown, at: number): boolean {
  const { start, end } = bounds(period);
  return start <= at && at < end;
}

function aboutPatient(subject: unknown, patientId: string | undefined): boolean {
  if (!patientId) return true;
  const key = referenceKey(subject);
  return key === undefined || key === `Patient/${patientId}`;
}

/** The Practitioner key and name of a reference, or undefined when it is not a nameable Practitioner. */
function person(ref: unknown, names: NameDirectory | undefined): { reference: string; name: string } | undefined {
  const key = referenceKey(ref);
  if (!key?.startsWith('Practitioner/')) return undefined;
  const display = str(obj(ref)?.display)?.trim();
  const name = display && !LOOKS_LIKE_ID.test(display) ? display : names?.get(key) ?? undefined;
  return name ? { reference: key, name } : undefined;
}

function roleOf(roles: unknown): string {
  for (const role of arr<unknown>(roles)) {
    const concept = obj(role);
    const words = str(concept?.text)?.trim() || arr<Record<string, unknown>>(concept?.coding).map((c) => str(obj(c)?.display)?.trim()).find(Boolean);
    if (words) return words;
  }
  return 'Care team';
}

/** The people who care for the patient, care-team members first (in the team's order), then recent visits, newest first. */
export function toCarePeople(input: CarePeopleInput): CarePerson[] {
  const at = input.now.getTime();
  const out = new Map<string, CarePerson>();
  for (const team of input.careTeams.flatMap((b) => resourcesOf<CareTeam>(b, 'CareTeam'))) {
    if (CARE_TEAM_OFF.has(str(team.status) ?? '') || !inPeriod(team.period, at) || !aboutPatient(team.subject, input.patientId)) continue;
    for (const participant of arr<Record<string, unknown>>(team.participant)) {
      if (!obj(participant) || !inPeriod(participant.period, at)) continue;
      const who = person(participant.member, input.names);
      if (who && !out.has(who.reference)) out.set(who.reference, { ...who, role: roleOf(participant.role), source: 'care-team' });
    }
  }
  const since = at - (input.recentDays ?? RECENT_ENCOUNTER_DAYS) * DAY_MS;
  const visits = input.encounters
    .flatMap((b) => resourcesOf<Encounter>(b, 'Encounter'))
    .filter((e) => !ENCOUNTER_OFF.has(str(e.status) ?? '') && aboutPatient(e.subject, input.patientId))
    .map((e) => ({ e, when: bounds(e.period).start }))
    .filter(({ when }) => when >= since && when <= at)
    .sort((a, b) => b.when - a.when);
  for (const { e } of visits) {
    for (const participant of arr<Record<string, unknown>>(e.participant)) {
      const who = obj(participant) ? person(participant.individual, input.names) : undefined;
      if (who && !out.has(who.reference)) out.set(who.reference, { ...who, role: ENCOUNTER_ROLE, source: 'encounter' });
    }
  }
  return [...out.values()];
}

function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The people whose name or role contains every word of `query` (case and accents ignored). */
export function searchCarePeople(people: readonly CarePerson[], query: string): CarePerson[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...people];
  return people.filter((p) => {
    const hay = fold(`${p.name} ${p.role}`);
    return words.every((w) => hay.includes(w));
  });
}

/** The role words of a care person for a sentence: "your GP", "your cardiologist", "who saw you at a recent visit". */
export function roleInSentence(role: string): string {
  if (role === ENCOUNTER_ROLE) return 'who saw you at a recent visit';
  if (role === 'Care team') return 'in your care team';
  const lower = /^[A-Z]{2,}\b/.test(role) ? role : role.charAt(0).toLowerCase() + role.slice(1);
  return `your ${lower}`;
}
