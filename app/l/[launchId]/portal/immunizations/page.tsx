import { ImmunizationList } from '@/components/visits/immunization-list';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { VisitShell } from '@/components/visits/visit-shell';
import { loadVisitPage } from '../visit-access';

export const dynamic = 'force-dynamic';

/** Vaccines given and what is due, as the EHR records them. */
export default async function ImmunizationsPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const page = await loadVisitPage(launchId);
  if (!page.ok) return <LaunchProblem reason={page.reason} />;
  return (
    <VisitShell launchId={launchId} source={page.source} title="Your immunizations" testId="immunizations-page">
      <ImmunizationList launchId={launchId} source={page.source} />
    </VisitShell>
  );
}
