'use client';
import { useMemo } from 'react';
import type { Bundle, Location } from '@medplum/fhirtypes';
import { appointmentLocationKeys, toAppointmentLists, type AppointmentLists } from '@/lib/fhir/compose/appointments';
import { resourcesOf } from '@/lib/fhir/compose/entries';
import { useFhir } from '@/components/fhir/use-fhir';
import { useNames } from '@/components/fhir/use-names';

import { APPOINTMENTS_PATH } from '@/lib/fhir/compose/search-paths';

export { APPOINTMENTS_PATH };

/**
 * The patient's appointments as upcoming and past lists at `now`, with people named and places
 * read for their addresses (only types in `nameTypes`, those the launch may read, are asked for).
 */
export function useAppointments(launchId: string, source: string, now: number, nameTypes: readonly string[]) {
  const appts = useFhir<Bundle>(launchId, APPOINTMENTS_PATH);
  const keys = appointmentLocationKeys(appts.data);
  const locationPath = nameTypes.includes('Location') && keys.length ? `Location?_id=${keys.map((k) => k.slice('Location/'.length)).join(',')}` : null;
  const locations = useFhir<Bundle>(launchId, locationPath);
  const names = useNames(launchId, nameTypes, [appts.data]);
  const lists = useMemo<AppointmentLists | undefined>(() => {
    if (!appts.data) return undefined;
    const byKey = new Map(resourcesOf<Location>(locations.data, 'Location').map((l) => [`Location/${l.id}`, l]));
    return toAppointmentLists(appts.data, { source, fetchedAt: appts.fetchedAt ?? '', names, locations: byKey }, now);
  }, [appts.data, appts.fetchedAt, locations.data, names, source, now]);
  return { lists, isLoading: appts.isLoading, outcome: appts.outcome, fetchedAt: appts.fetchedAt, fromCache: appts.fromCache };
}
