import type { AccessHistoryItem } from './access-history';

/**
 * "Who looked at my record", for a patient: the audit log's lines grouped into visits (one
 * person in one sitting: the same person and launch, no pause longer than VISIT_GAP_MS), each
 * naming the person in words ("Dr. Quinn Placebo, your GP", "You") and saying what they looked
 * at in plain words ("your medicines, allergies and test results"). Emergency access, refusals
 * and sharing choices that decided what was shown are flagged per visit. Newest visit first.
 * Pure: the names come in as a directory the server built from what the patient may read.
 */

/** A pause longer than this ends a visit. */
export const VISIT_GAP_MS = 30 * 60_000;

/** How the page names a person it found (server side: care team, Practitioner reads). */
export interface KnownPerson {
  name: string;
  /** Their part in the patient's care, as a phrase after the name ("your GP"); none when unknown. */
  role?: string;
}

export interface AccessVisitStep {
  /** Plain words: "looked through your allergies", "was refused emergency access to your record". */
  words: string;
  /** Latest time this step happened in the visit (ISO instant). */
  when: string;
  times: number;
  outcome: AccessHistoryItem['outcome'];
  breakGlass: boolean;
}

export interface AccessVisit {
  id: string;
  start: string;
  end: string;
  /** "You", "Dr. Quinn Placebo, your GP", "A clinician with your share link", ... */
  who: string;
  self: boolean;
  /** What they looked at, in words ("your medicines, allergies and test results"), or undefined. */
  looked?: string;
  /** What they changed or did besides looking, in words. */
  did: string[];
  emergency: boolean;
  refused: number;
  /** Refused because of the patient's sharing choices. */
  withheld: number;
  /** The patient's sharing choices decided what was shown in this visit. */
  byChoices: boolean;
  steps: AccessVisitStep[];
}

/** Resource types in the words a patient uses, plural, with "your" where it reads naturally. */
export const TYPE_WORDS: Record<string, string> = {
  AllergyIntolerance: 'allergies', Condition: 'health problems', MedicationRequest: 'medicines', MedicationStatement: 'medicines', Medication: 'medicines',
  MedicationDispense: 'medicines', MedicationAdministration: 'medicines',
  Observation: 'test results', DiagnosticReport: 'test results', Immunization: 'vaccinations', Procedure: 'procedures', Encounter: 'visits',
  Patient: 'personal details', DocumentReference: 'notes and letters', CarePlan: 'care plans', CareTeam: 'care team', Appointment: 'appointments',
  Task: 'to-do items', Consent: 'sharing choices', Communication: 'messages', Practitioner: "care team's names", PractitionerRole: "care team's names",
  Organization: 'clinics', Location: 'clinics',
};

/** The order a visit lists what was looked at: the record's main sections first, as the portal shows them. */
const WORD_ORDER = ['personal details', 'medicines', 'allergies', 'health problems', 'test results', 'vaccinations', 'procedures', 'visits', 'notes and letters', 'care plans', 'appointments', 'to-do items', 'messages', 'care team', "care team's names", 'clinics', 'sharing choices'];
const byWordOrder = (a: string, b: string) => WORD_ORDER.indexOf(a) - WORD_ORDER.indexOf(b);

const LOOKING = new Set(['read', 'vread', 'history-instance', 'search-type']);

/** The step, said to the patient; never an id or a FHIR type name. */
const STEP: Record<string, (what: string) => string> = {
  read: (w) => `opened your ${w}`, vread: (w) => `opened an earlier version of your ${w}`, 'history-instance': (w) => `looked at the history of your ${w}`, 'search-type': (w) => `looked through your ${w}`,
  create: (w) => `added to your ${w}`, update: (w) => `changed your ${w}`, delete: (w) => `removed from your ${w}`, 'sync-conflict-resolution': (w) => `settled a conflicting change to your ${w}`,
  batch: (w) => `sent a batch request for your ${w}`,
};

const EVENT: Record<string, string> = {
  'ehr-launch': 'opened your record from the EHR', 'standalone-launch': 'signed in', 'sign-out': 'signed out',
  'break-glass': 'started emergency access to your record', 'break-glass-end': 'ended emergency access to your record', 'break-glass-refused': 'was refused emergency access to your record',
  'share-link-view': 'opened a share link you made', 'share-link-create': 'made a share link', 'share-link-revoke': 'ended a share link', batch: 'sent a batch request',
  'sync-changes-held': 'left unsent changes to be kept when their session ended', 'sync-changes-taken': 'took back unsent changes to send', 'sync-changes-discarded': 'had unsent changes discarded, as your sharing choices no longer allow them',
  'consent-revoke': 'revoked a sharing choice', 'consent-entered-in-error': 'marked a sharing choice as recorded in error', 'consent-share-link': 'recorded the permission behind a share link',
  'consent-share-with-practitioner': 'shared part of your record with someone', 'consent-restrict-practitioner': 'kept your record from someone', 'consent-patient-default': 'chose who may see your record by default',
  'consent-restrict-labels': 'kept sensitive parts of your record private', 'access-history-download': 'downloaded your access history', unparsed: 'made a request Housecall could not read',
};

/** The words of one step ("looked through your allergies"), from its subtype and resource type. */
export function stepWords(item: Pick<AccessHistoryItem, 'subtype' | 'resourceType'>): string {
  const what = item.resourceType ? TYPE_WORDS[item.resourceType] ?? 'records' : undefined;
  const step = STEP[item.subtype];
  if (step && what) return step(what);
  return EVENT[item.subtype] ?? (what ? `used your ${what}` : 'used your record');
}

/** "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function isSelf(who: string, patientId: string): boolean {
  return who === `Patient/${patientId}` || who.endsWith(`/Patient/${patientId}`);
}

/** The person in words. Only Practitioners get names, from the directory; other patients never do. */
export function personInWords(who: string, patientId: string, people: ReadonlyMap<string, KnownPerson>): string {
  if (isSelf(who, patientId)) return 'You';
  const key = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(who)?.[1];
  const known = key?.startsWith('Practitioner/') ? people.get(key) : undefined;
  if (known) return known.role ? `${known.name}, ${known.role}` : known.name;
  const type = key?.split('/')[0];
  if (type === 'Practitioner' || type === 'PractitionerRole') return 'A clinician, name not available';
  if (type === 'RelatedPerson') return 'A relative or carer';
  if (type === 'Patient') return 'Someone else using Housecall';
  return who.includes('/') ? 'Someone using Housecall' : who; // the history's own words ("A clinician with your share link")
}

/** Groups the patient's history (`items` newest first, each with its launch) into visits, newest first. */
export function toAccessVisits(items: readonly (AccessHistoryItem & { launchId: string | null })[], patientId: string, people: ReadonlyMap<string, KnownPerson>): AccessVisit[] {
  const ordered = [...items].filter((i) => Number.isFinite(Date.parse(i.when))).sort((a, b) => Date.parse(a.when) - Date.parse(b.when));
  const open = new Map<string, { visit: AccessHistoryItem[]; last: number }>();
  const groups: AccessHistoryItem[][] = [];
  for (const item of ordered) {
    const key = `${item.who}\u0000${item.launchId ?? ''}`;
    const at = Date.parse(item.when);
    const current = open.get(key);
    if (current && at - current.last <= VISIT_GAP_MS) {
      current.visit.push(item);
      current.last = at;
    } else {
      const visit = [item];
      groups.push(visit);
      open.set(key, { visit, last: at });
    }
  }
  return groups.map((g) => toVisit(g, patientId, people)).sort((a, b) => Date.parse(b.end) - Date.parse(a.end) || (a.id < b.id ? 1 : -1));
}

function toVisit(events: AccessHistoryItem[], patientId: string, people: ReadonlyMap<string, KnownPerson>): AccessVisit {
  const first = events[0]!;
  const last = events[events.length - 1]!;
  const looked = new Set<string>();
  const did = new Set<string>();
  const steps = new Map<string, AccessVisitStep>();
  for (const e of events) {
    const words = stepWords(e);
    if (e.outcome === 'allowed' && e.resourceType && LOOKING.has(e.subtype) && TYPE_WORDS[e.resourceType]) looked.add(TYPE_WORDS[e.resourceType]!);
    else if (e.outcome === 'allowed' && !LOOKING.has(e.subtype)) did.add(words);
    // Allowed steps that repeat are said once with a count; each refusal or failure keeps its own line.
    const key = e.outcome === 'allowed' ? `${words}\u0000${e.breakGlass}` : `${e.id}\u0000${e.outcome}`;
    const step = steps.get(key);
    if (step) Object.assign(step, { when: e.when, times: step.times + 1 });
    else steps.set(key, { words, when: e.when, times: 1, outcome: e.outcome, breakGlass: e.breakGlass });
  }
  const emergency = events.some((e) => e.breakGlass || e.subtype.startsWith('break-glass'));
  return {
    id: first.id,
    start: first.when,
    end: last.when,
    who: personInWords(first.who, patientId, people),
    self: isSelf(first.who, patientId),
    ...(looked.size ? { looked: `your ${listInWords([...looked].sort(byWordOrder))}` } : {}),
    did: [...did],
    emergency,
    refused: events.filter((e) => e.outcome === 'refused').length,
    withheld: events.filter((e) => e.outcomeCode === 'consent-denied').length,
    byChoices: events.some((e) => e.consents.length > 0),
    steps: [...steps.values()].sort((a, b) => Date.parse(b.when) - Date.parse(a.when)),
  };
}
