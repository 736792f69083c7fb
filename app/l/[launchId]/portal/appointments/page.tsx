import { AppointmentList } from '@/components/appointments/appointment-list';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { VisitShell } from '@/components/visits/visit-shell';
import { loadVisitPage } from '../visit-access';

export const dynamic = 'force-dynamic';

/** The patient's appointments: coming up first, in their own time zone, then past ones. */
export default async function AppointmentsPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const page = await loadVisitPage(launchId);
  if (!page.ok) return <LaunchProblem reason={page.reason} />;
  return (
    <VisitShell launchId={launchId} source={page.source} title="Your appointments" testId="appointments-page">
      <AppointmentList launchId={launchId} source={page.source} issuerId={page.issuerId} nameTypes={page.nameTypes} />
    </VisitShell>
  );
}
