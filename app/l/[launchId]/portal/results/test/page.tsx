import { PartNotShared } from '@/components/portal/part-not-shared';
import { PortalResultDetail } from '@/components/portal/portal-result-detail';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { resultHistoryRequest } from '@/lib/fhir/compose/requests';
import { WithFirstScreen } from '../../../first-screen';
import { loadLaunchForPage } from '../../../launch-context';
import { resultsAccess } from '../part-access';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ launchId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** One test explained: `/portal/results/test?code=http://loinc.org|2823-3` (a test code, never anything of the patient's). */
export default async function PortalResultTestPage({ params, searchParams }: Props) {
  const { launchId } = await params;
  const query = await searchParams;
  const code = typeof query.code === 'string' && query.code.length <= 300 ? query.code : '';
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  const { shared, askAgainHref } = resultsAccess(access);
  if (!shared) return <PartNotShared what="test results" askAgainHref={askAgainHref} />;
  // The page arrives with the first page of the test's history.
  return (
    <WithFirstScreen launchId={launchId} paths={code.includes('|') ? [resultHistoryRequest(code)] : []}>
      <PortalResultDetail launchId={launchId} code={code} source={source} />
    </WithFirstScreen>
  );
}
