import { PartNotShared } from '@/components/portal/part-not-shared';
import { PortalResults } from '@/components/portal/portal-results';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { SUMMARY_REQUESTS } from '@/lib/fhir/compose/requests';
import { WithFirstScreen } from '../../first-screen';
import { loadLaunchForPage } from '../../launch-context';
import { resultsAccess } from './part-access';

export const dynamic = 'force-dynamic';

/** The patient's test results, explained; or, when the EHR did not grant them, a plain "not shared" with a way to ask again. */
export default async function PortalResultsPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  const { shared, askAgainHref } = resultsAccess(access);
  if (!shared) return <PartNotShared what="test results" askAgainHref={askAgainHref} />;
  // The page arrives with the laboratory results (the summary's own search, so the two share one copy).
  return (
    <WithFirstScreen launchId={launchId} paths={[SUMMARY_REQUESTS.labs]}>
      <PortalResults launchId={launchId} source={source} />
    </WithFirstScreen>
  );
}
