import { ChartShell } from '@/components/chart/chart-shell';
import { ChartSummary } from '@/components/chart/chart-summary';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { NothingShared } from '@/components/ui/nothing-shared';
import { sharesPatientRecord } from '@/lib/smart';
import { summaryRequestPaths } from '@/lib/fhir/compose/requests';
import { WithFirstScreen } from '../first-screen';
import { firstScreenSummary } from '../first-screen-summary';
import { loadLaunchForPage } from '../launch-context';
import { lastOpenedBefore } from './chart-visit';
import { clinicianFirstScreen } from './first-screen-clinician';

export const dynamic = 'force-dynamic';

export default async function ChartPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!sharesPatientRecord(access.launch.scope)) return <NothingShared audience="clinician" askAgainHref={null} />;
  const since = await lastOpenedBefore(access.launch);
  const patientId = access.launch.patientId ?? '';
  return (
    <ChartShell launchId={launchId} source={source} view="summary">
      <WithFirstScreen launchId={launchId} paths={summaryRequestPaths(patientId)}>
        {(answers) => {
          const props = { launchId, patientId, source, showBanner: access.launch.needPatientBanner, audience: 'clinician' as const, lastOpenedAt: since };
          return <ChartSummary {...props} firstScreen={firstScreenSummary(answers, props, clinicianFirstScreen(launchId, source, since))} />;
        }}
      </WithFirstScreen>
    </ChartShell>
  );
}
