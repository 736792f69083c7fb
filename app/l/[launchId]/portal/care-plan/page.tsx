import { CarePlanList } from '@/components/visits/care-plan-list';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { VisitShell } from '@/components/visits/visit-shell';
import { loadVisitPage } from '../visit-access';

export const dynamic = 'force-dynamic';

/** The patient's care plans with their goals and activities, in plain words. */
export default async function CarePlanPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const page = await loadVisitPage(launchId);
  if (!page.ok) return <LaunchProblem reason={page.reason} />;
  return (
    <VisitShell launchId={launchId} source={page.source} title="Your care plan" testId="care-plan-page">
      <CarePlanList launchId={launchId} source={page.source} />
    </VisitShell>
  );
}
