import type { Bundle } from '@medplum/fhirtypes';
import { toCarePlanList, toDocumentList, toEncounterTimeline, toImmunizationList, toProcedureList, toTaskList } from './clinical-lists';
import { dateMs } from './datatypes';
import type { ComposeContext, ListItemView, ListOptions } from './items';
import { toMedicationList } from './medications';
import { toAllergyList, toProblemList } from './summary';

/**
 * What the chart asks the EHR for, and which view model each answer becomes. The summary's
 * requests are independent of one another, so they go out together as one wave; a detail
 * view asks the same URLs (and finds them in the client cache) or one more for a history.
 */

/** FHIR request paths (relative to the proxy's FHIR base) behind the chart summary. */
export const SUMMARY_REQUESTS = {
  allergies: 'AllergyIntolerance?_count=100',
  problems: 'Condition?_count=100',
  medicationRequests: 'MedicationRequest?_include=MedicationRequest:medication&_count=100',
  medicationStatements: 'MedicationStatement?_include=MedicationStatement:medication&_count=100',
  vitals: 'Observation?category=vital-signs&_sort=-date&_count=200',
  labs: 'Observation?category=laboratory&_sort=-date&_count=200',
} as const;

/**
 * Observations the source filed under no category (exports often send scores and surveys so):
 * the results page lists them apart, so they are not lost for want of a category.
 */
export const UNCATEGORIZED_OBSERVATIONS_REQUEST = 'Observation?category:missing=true&_sort=-date&_count=100';

export function patientRequest(patientId: string): string {
  return `Patient/${encodeURIComponent(patientId)}`;
}

/** Every request of the summary's single wave, patient first. */
export function summaryRequestPaths(patientId: string): string[] {
  return [patientRequest(patientId), ...Object.values(SUMMARY_REQUESTS)];
}

/**
 * The history of one code, newest first; the Bundle's `next` link pages further back. Searched
 * by the bare code because the proxy refuses any parameter value that looks like an absolute
 * URL (a system such as `http://loinc.org`); the view keeps only the series whose key matches.
 */
export function resultHistoryRequest(searchCode: string): string {
  const code = searchCode.slice(searchCode.indexOf('|') + 1);
  return `Observation?code=${encodeURIComponent(code)}&_sort=-date&_count=100`;
}

type Build = (bundle: Bundle | undefined, ctx: ComposeContext, opts?: ListOptions) => ListItemView[];

export interface ListSection {
  title: string;
  /** One request per part of the list; each Bundle becomes items with its own fetch time. */
  requests: { path: string; build: Build; label: string }[];
  empty: string;
}

export const LIST_SECTIONS = {
  problems: { title: 'Problems', empty: 'No active problems recorded.', requests: [{ path: SUMMARY_REQUESTS.problems, build: toProblemList, label: 'Problems' }] },
  medications: {
    title: 'Medications',
    empty: 'No active medications recorded.',
    requests: [
      { path: SUMMARY_REQUESTS.medicationRequests, build: toMedicationList, label: 'Prescriptions' },
      { path: SUMMARY_REQUESTS.medicationStatements, build: toMedicationList, label: 'Patient-reported medications' },
    ],
  },
  allergies: { title: 'Allergies', empty: 'No known allergies recorded.', requests: [{ path: SUMMARY_REQUESTS.allergies, build: toAllergyList, label: 'Allergies' }] },
  encounters: { title: 'Encounters', empty: 'No encounters recorded.', requests: [{ path: 'Encounter?_sort=-date&_count=50', build: toEncounterTimeline, label: 'Encounters' }] },
  notes: { title: 'Notes and documents', empty: 'No notes or documents.', requests: [{ path: 'DocumentReference?_sort=-date&_count=50', build: toDocumentList, label: 'Documents' }] },
  'care-plans': { title: 'Care plans', empty: 'No active care plans.', requests: [{ path: 'CarePlan?_count=50', build: toCarePlanList, label: 'Care plans' }] },
  tasks: { title: 'Tasks', empty: 'No open tasks.', requests: [{ path: 'Task?_count=50', build: toTaskList, label: 'Tasks' }] },
  immunizations: { title: 'Immunizations', empty: 'No immunizations recorded.', requests: [{ path: 'Immunization?_sort=-date&_count=50', build: toImmunizationList, label: 'Immunizations' }] },
  procedures: { title: 'Procedures', empty: 'No procedures recorded.', requests: [{ path: 'Procedure?_sort=-date&_count=50', build: toProcedureList, label: 'Procedures' }] },
} satisfies Record<string, ListSection>;

export type ListSectionId = keyof typeof LIST_SECTIONS;
export type SectionId = ListSectionId | 'results' | 'vitals';

export function isSectionId(v: string): v is SectionId {
  return v === 'results' || v === 'vitals' || v in LIST_SECTIONS;
}

/** Merges lists built from separate responses, newest first (stable for undated entries). */
export function mergeLists(lists: ListItemView[][]): ListItemView[] {
  if (lists.length === 1) return lists[0] ?? [];
  return lists
    .flat()
    .map((item, i) => ({ item, i }))
    .sort((a, b) => dateMs(b.item.date) - dateMs(a.item.date) || a.i - b.i)
    .map((x) => x.item);
}
