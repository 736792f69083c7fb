import { AppBar } from '@/components/chart/app-bar';
import { ChartSummary } from '@/components/chart/chart-summary';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadLaunchForPage } from '../launch-context';

export const dynamic = 'force-dynamic';

export default async function PortalPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source, style } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  return (
    <div style={style as React.CSSProperties} data-testid="styled-root" className="min-h-screen bg-[var(--hc-bg)] [font-family:var(--hc-font)]">
      <AppBar launchId={launchId} source={source} />
      <ChartSummary launchId={launchId} patientId={access.launch.patientId ?? ''} source={source} showBanner audience="patient" />
    </div>
  );
}
