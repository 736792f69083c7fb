'use client';
import { useMemo } from 'react';
import type { Bundle } from '@medplum/fhirtypes';
import { CARE_PEOPLE_REQUESTS, toCarePeople, type CarePerson } from '@/lib/fhir/compose/care-team';
import { referencesToName } from '@/lib/fhir/compose/people';
import { useFhir } from '../fhir/use-fhir';
import { useNames } from '../fhir/use-names';

/**
 * The people who care for the launch's patient (lib/fhir `toCarePeople`): the patient's
 * CareTeams and recent Encounters, and the Practitioners they name without a display, all read
 * through the launch's FHIR proxy, so its scopes, consent and audit apply. `outcome` is set when
 * the care teams could not be read (no scope, EHR down); recent visits alone still give a list.
 */
export function useCarePeople(launchId: string, patientId: string): { data: CarePerson[] | undefined; isLoading: boolean; outcome: string | undefined } {
  const careTeams = useFhir<Bundle>(launchId, CARE_PEOPLE_REQUESTS.careTeams);
  const encounters = useFhir<Bundle>(launchId, CARE_PEOPLE_REQUESTS.encounters);
  const names = useNames(launchId, ['Practitioner'], [careTeams.data, encounters.data]);
  // Until the name reads answer, people referenced without a display would be missing from the list.
  const namesPending = referencesToName([careTeams.data, encounters.data], ['Practitioner']).some((key) => !names.has(key));
  const isLoading = careTeams.isLoading || encounters.isLoading || namesPending;
  const data = useMemo(
    () => (isLoading ? undefined : toCarePeople({ careTeams: [careTeams.data], encounters: [encounters.data], names, patientId, now: new Date() })),
    [isLoading, careTeams.data, encounters.data, names, patientId],
  );
  const failed = careTeams.outcome && encounters.outcome ? careTeams.outcome : undefined;
  return { data: failed ? undefined : data, isLoading, outcome: failed };
}
