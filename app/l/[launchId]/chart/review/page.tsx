import { ChartShell } from '@/components/chart/chart-shell';
import { DetailHeader } from '@/components/chart/detail-header';
import { ConflictReview } from '@/components/sync/conflict-review';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** A clinician's changes that met a different change in the EHR: compare field by field, then choose. */
export default async function ChartReviewPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!access.launch.patientId || !access.launch.fhirUser) return <LaunchProblem reason="not-found" />;
  return (
    <ChartShell launchId={launchId} source={source} view="review">
      <DetailHeader launchId={launchId} title="Changes to review" />
      <div data-testid="review-page"><ConflictReview launchId={launchId} audience="clinician" /></div>
    </ChartShell>
  );
}
