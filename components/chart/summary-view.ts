import type { Bundle, Patient } from '@medplum/fhirtypes';
import { toAllergyList, toPatientHeader, toProblemList, type PatientHeaderView } from '@/lib/fhir/compose/summary';
import { toMedicationList } from '@/lib/fhir/compose/medications';
import { toResultSeries, type ResultSeries } from '@/lib/fhir/compose/observations';
import { toNeedsAttention, type NeedsAttentionView } from '@/lib/fhir/compose/needs-attention';
import { hiddenByConsent } from '@/lib/consent/hidden';
import type { ListItemView } from '@/lib/fhir/compose/items';
import type { ServerAnswer } from '@/lib/fhir/first-screen';
import { sectionItems, sectionStatus, type FetchState } from './section-data';
import type { SectionStatus } from './section-card';

/** The summary's answers, as the browser's views hold them (useChartSummary) or as the server got them. */
export interface SummaryAnswers {
  patient: FetchState<Patient>;
  allergies: FetchState;
  problems: FetchState;
  medicationRequests: FetchState;
  medicationStatements: FetchState;
  vitals: FetchState;
  labs: FetchState;
}

export interface SummaryCard {
  items: ListItemView[] | undefined;
  status: SectionStatus;
}

/**
 * The summary's first screen composed from its answers: what summary-body.tsx draws. The same
 * function serves the server (a page loaded as a document is composed there, and its browser
 * downloads none of this code for it) and the browser's live view (summary-live.tsx).
 */
export interface SummaryView {
  /** The launch ended: nothing else is drawn. */
  ended: boolean;
  /** Every answer is in (or failed): the chart may count this as seen. */
  settled: boolean;
  header: PatientHeaderView | undefined;
  /** Allergies to state in the banner; undefined while unknown, or when the EHR cut the list short. */
  allergyCount: number | undefined;
  patientOutcome: string | undefined;
  /** Why consent withheld entries, when it withheld any (the clinician's notice says so, not what). */
  hiddenWhy: string[] | undefined;
  problems: SummaryCard;
  medications: SummaryCard;
  allergies: SummaryCard;
  vitals: { series: ResultSeries[] | undefined; status: SectionStatus };
  /** Laboratory and vital-sign answers together: the state of "Needs attention". */
  results: SectionStatus;
}

/** A vital-sign or laboratory answer as result series (undefined until it answered). */
export function seriesOf(state: FetchState, source: string): ResultSeries[] | undefined {
  return state.data && state.fetchedAt ? toResultSeries(state.data as Bundle, { source, fetchedAt: state.fetchedAt }) : undefined;
}

/** `vitalSeries`: seriesOf(d.vitals), when the caller keeps it between renders. */
export function composeSummary(d: SummaryAnswers, source: string, now: number, vitalSeries: ResultSeries[] | undefined = seriesOf(d.vitals, source)): SummaryView {
  const all = Object.values(d) as FetchState<unknown>[];
  const patient = d.patient.data ? toPatientHeader(d.patient.data, { source, fetchedAt: d.patient.fetchedAt ?? new Date(now).toISOString() }, new Date(now)) : undefined;
  const allergyParts = [{ state: d.allergies, build: toAllergyList }];
  const allergyItems = sectionItems(allergyParts, source);
  const allergyStatus = sectionStatus(allergyParts);
  const problemParts = [{ state: d.problems, build: toProblemList }];
  const medParts = [
    { label: 'Prescriptions', state: d.medicationRequests, build: toMedicationList },
    { label: 'Patient-reported medications', state: d.medicationStatements, build: toMedicationList },
  ];
  const hidden = all.map((r) => hiddenByConsent(r.data));
  return {
    ended: all.some((r) => r.outcome === 'launch-ended'),
    settled: !all.some((r) => r.isLoading),
    header: patient,
    // A list the EHR cut short gives no count: "No known allergies" must not rest on it.
    allergyCount: allergyStatus.partial ? undefined : allergyItems?.length,
    patientOutcome: d.patient.outcome,
    hiddenWhy: hidden.some((h) => h.hidden) ? [...new Set(hidden.flatMap((h) => h.why))].sort() : undefined,
    problems: { items: sectionItems(problemParts, source), status: sectionStatus(problemParts) },
    medications: { items: sectionItems(medParts, source), status: sectionStatus(medParts) },
    allergies: { items: allergyItems, status: allergyStatus },
    vitals: { series: vitalSeries, status: sectionStatus([{ state: d.vitals }]) },
    results: sectionStatus([{ label: 'Laboratory results', state: d.labs }, { label: 'Vital signs', state: d.vitals }]),
  };
}

/** "Needs attention" from the summary's laboratory and vital-sign series (undefined until either answered). */
export function attentionOf(labSeries: ResultSeries[] | undefined, vitalSeries: ResultSeries[] | undefined, lastOpenedAt: string | null): NeedsAttentionView | undefined {
  return labSeries || vitalSeries ? toNeedsAttention([...(labSeries ?? []), ...(vitalSeries ?? [])], lastOpenedAt) : undefined;
}

/** A server answer as the views hold an answer they fetched; its `fetchedAt` is on the server's clock. */
export function answeredState<T = Bundle>(answer: ServerAnswer): FetchState<T> {
  return { data: answer.body as T, fetchedAt: answer.fetchedAt, isLoading: false, fromCache: false, serverClock: true };
}
