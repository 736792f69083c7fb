import type { Bundle } from '@medplum/fhirtypes';
import { toCarePlanList, toDocumentList, toEncounterTimeline, toImmunizationList, toProcedureList, toTaskList } from './clinical-lists';
import type { ComposeContext, ListItemView, ListOptions } from './items';
import { toMedicationList } from './medications';
import { toAllergyList, toProblemList } from './summary';
import { LIST_SECTION_TITLES, SUMMARY_REQUESTS, type ListSectionId } from './requests';

export { SUMMARY_REQUESTS, UNCATEGORIZED_OBSERVATIONS_REQUEST, patientRequest, summaryRequestPaths, resultHistoryRequest, LIST_SECTION_TITLES, LIST_SECTION_IDS, isSectionId, type ListSectionId, type SectionId } from './requests';
export { mergeLists } from './items';

/**
 * What the chart asks the EHR for, and which view model each answer becomes. The summary's
 * requests are independent of one another, so they go out together as one wave; a detail
 * view asks the same URLs (and finds them in the client cache) or one more for a history.
 */

type Build = (bundle: Bundle | undefined, ctx: ComposeContext, opts?: ListOptions) => ListItemView[];

export interface ListSection {
  title: string;
  /** One request per part of the list; each Bundle becomes items with its own fetch time. */
  requests: { path: string; build: Build; label: string }[];
  empty: string;
}

export const LIST_SECTIONS = {
  problems: { title: LIST_SECTION_TITLES.problems, empty: 'No active problems recorded.', requests: [{ path: SUMMARY_REQUESTS.problems, build: toProblemList, label: 'Problems' }] },
  medications: {
    title: LIST_SECTION_TITLES.medications,
    empty: 'No active medications recorded.',
    requests: [
      { path: SUMMARY_REQUESTS.medicationRequests, build: toMedicationList, label: 'Prescriptions' },
      { path: SUMMARY_REQUESTS.medicationStatements, build: toMedicationList, label: 'Patient-reported medications' },
    ],
  },
  allergies: { title: LIST_SECTION_TITLES.allergies, empty: 'No known allergies recorded.', requests: [{ path: SUMMARY_REQUESTS.allergies, build: toAllergyList, label: 'Allergies' }] },
  encounters: { title: LIST_SECTION_TITLES.encounters, empty: 'No encounters recorded.', requests: [{ path: 'Encounter?_sort=-date&_count=50', build: toEncounterTimeline, label: 'Encounters' }] },
  notes: { title: LIST_SECTION_TITLES.notes, empty: 'No notes or documents.', requests: [{ path: 'DocumentReference?_sort=-date&_count=50', build: toDocumentList, label: 'Documents' }] },
  'care-plans': { title: LIST_SECTION_TITLES['care-plans'], empty: 'No active care plans.', requests: [{ path: 'CarePlan?_count=50', build: toCarePlanList, label: 'Care plans' }] },
  tasks: { title: LIST_SECTION_TITLES.tasks, empty: 'No open tasks.', requests: [{ path: 'Task?_count=50', build: toTaskList, label: 'Tasks' }] },
  immunizations: { title: LIST_SECTION_TITLES.immunizations, empty: 'No immunizations recorded.', requests: [{ path: 'Immunization?_sort=-date&_count=50', build: toImmunizationList, label: 'Immunizations' }] },
  procedures: { title: LIST_SECTION_TITLES.procedures, empty: 'No procedures recorded.', requests: [{ path: 'Procedure?_sort=-date&_count=50', build: toProcedureList, label: 'Procedures' }] },
} satisfies Record<ListSectionId, ListSection>;
