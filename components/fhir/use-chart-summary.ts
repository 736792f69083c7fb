'use client';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { patientRequest, SUMMARY_REQUESTS } from '@/lib/fhir/compose/search-paths';
import { useFhir } from './use-fhir';

/**
 * Every request behind the chart summary, started together in one render so they form a
 * single wave: none waits for another's answer (the patient id comes from the launch, the
 * medicines come with their prescriptions through `_include`).
 */
export function useChartSummary(launchId: string, patientId: string) {
  return {
    patient: useFhir<Patient>(launchId, patientRequest(patientId)),
    allergies: useFhir<Bundle>(launchId, SUMMARY_REQUESTS.allergies),
    problems: useFhir<Bundle>(launchId, SUMMARY_REQUESTS.problems),
    medicationRequests: useFhir<Bundle>(launchId, SUMMARY_REQUESTS.medicationRequests),
    medicationStatements: useFhir<Bundle>(launchId, SUMMARY_REQUESTS.medicationStatements),
    vitals: useFhir<Bundle>(launchId, SUMMARY_REQUESTS.vitals),
    labs: useFhir<Bundle>(launchId, SUMMARY_REQUESTS.labs),
  };
}

export type ChartSummaryData = ReturnType<typeof useChartSummary>;
