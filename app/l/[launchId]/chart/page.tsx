import { ChartShell } from '@/components/chart/chart-shell';
import { ClinicianSummary } from '@/components/chart/clinician-summary';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadLaunchForPage } from '../launch-context';
import { lastOpenedBefore } from './chart-visit';

export const dynamic = 'force-dynamic';

export default async function ChartPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  const since = await lastOpenedBefore(access.launch);
  return (
    <ChartShell launchId={launchId} source={source} view="summary">
      <ClinicianSummary launchId={launchId} patientId={access.launch.patientId ?? ''} source={source} showBanner={access.launch.needPatientBanner} lastOpenedAt={since} />
    </ChartShell>
  );
}
