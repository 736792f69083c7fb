import type { Bundle } from '@medplum/fhirtypes';
import { PartNotShared } from '@/components/portal/part-not-shared';
import { PortalResultDetail, type TestName } from '@/components/portal/portal-result-detail';
import { historySeries } from '@/components/portal/result-detail-code';
import type { ServerAnswer } from '@/lib/fhir/first-screen';
import { proxyUrl } from '@/lib/fhir/proxy-path';
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
      {(answers) => <PortalResultDetail launchId={launchId} code={code} source={source} name={testName(code.includes('|') ? answers[proxyUrl(launchId, resultHistoryRequest(code))] : undefined, code, source)} />}
    </WithFirstScreen>
  );
}

/** The test's name as the history the page came with gives it, so the page is titled before its own code has run. */
function testName(answer: ServerAnswer | undefined, code: string, source: string): TestName | undefined {
  const series = answer ? historySeries([{ body: answer.body as Bundle, fetchedAt: answer.fetchedAt }], code, source) : undefined;
  return series ? { label: series.label, title: series.title } : undefined;
}
