'use client';
import { useFhir } from '@/components/fhir/use-fhir';
import { laterChunk, lazyView } from '@/components/ui/later-chunk';
import { APPOINTMENTS_PATH } from '@/lib/fhir/compose/search-paths';

/**
 * The appointments list and what composes it (appointment-list-view.tsx), as a chunk of its own:
 * the page's answer is fetched in the browser, so its code arrives while that request is on its way.
 */
export const appointmentListCode = laterChunk(() => import('./appointment-list-view'));

const List = lazyView(appointmentListCode, (m) => m.AppointmentList, <p role="status">Loading…</p>);

/** Upcoming appointments, then past ones: asked for at once, the list's own request joining this one. */
export function AppointmentList(props: { launchId: string; source: string; issuerId: string; nameTypes: readonly string[] }) {
  useFhir(props.launchId, APPOINTMENTS_PATH);
  return <List {...props} />;
}
