import Link from 'next/link';
import { AppBar } from '@/components/chart/app-bar';
import { ChartSummary } from '@/components/chart/chart-summary';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { VisitLinks } from '@/components/visits/visit-links';
import { isPatientSelf } from '@/lib/smart';
import { loadLaunchForPage } from '../launch-context';

export const dynamic = 'force-dynamic';

const SHARE_ACTIONS = [['summary', 'Share my summary'], ['allergies', 'Share my allergies'], ['results', 'Share my results']] as const;

export default async function PortalPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  return (
    <div data-hc-styled="" data-testid="styled-root" className="min-h-screen bg-[var(--hc-bg)] [font-family:var(--hc-font)]">
      <AppBar launchId={launchId} source={source} />
      <ChartSummary launchId={launchId} patientId={access.launch.patientId ?? ''} source={source} showBanner audience="patient" />
      <VisitLinks launchId={launchId} />
      <nav aria-label="Sharing" className="mx-auto flex max-w-3xl flex-wrap gap-x-4 px-3">
        {SHARE_ACTIONS.map(([section, text]) => (
          <a key={section} className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/share?section=${section}`} data-testid={`share-${section}`}>
            {text}
          </a>
        ))}
      </nav>
      <p className="mx-auto flex max-w-3xl flex-wrap gap-x-4 px-3 pb-6">
        <Link className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/messages`} data-testid="messages-link">
          Messages with your care team
        </Link>
        <Link className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/contact`} data-testid="contact-link">
          Your contact details
        </Link>
        <a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/sharing`} data-testid="sharing-centre-link">
          Who I share my record with
        </a>
        <a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/access`} data-testid="access-history-link">
          Who has looked at my record
        </a>
      </p>
    </div>
  );
}
