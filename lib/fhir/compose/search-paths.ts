/**
 * The FHIR searches behind the chart's and the portal's views, as paths below the proxy's FHIR
 * base: a module of its own (requests.ts re-exports it), as the pages that ask for them need
 * nothing else of requests.ts on first load.
 */

/**
 * The Observation categories the summary shows, and so what is searched wherever all of a
 * patient's results are wanted (sync, share links, the care-team dashboard): Epic refuses an
 * Observation search that names no category or code.
 */
export const OBSERVATION_CATEGORIES = ['laboratory', 'vital-signs'] as const;

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

/** The patient's messages, newest first (the messages page, and the portal home's unread ones). */
export const MESSAGES_SEARCH = 'Communication?_sort=-sent&_count=100';

/** The patient's appointments (pinned to them by the proxy), most recent 100. */
export const APPOINTMENTS_PATH = 'Appointment?_count=100';

/** One document's reference (the document page, and its viewer's own request, which must join it). */
export function documentRequest(documentId: string): string {
  return `DocumentReference/${encodeURIComponent(documentId)}`;
}

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
