import { notFound } from 'next/navigation';
import { ChartShell } from '@/components/chart/chart-shell';
import { SectionView } from '@/components/chart/section-view';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { NAMEABLE_TYPES } from '@/lib/fhir/compose/people';
import { isSectionId } from '@/lib/fhir/compose/requests';
import { allows, parseGrantedScopes } from '@/lib/smart';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ launchId: string; section: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** A chart section in full: `/chart/{section}`, `?code=` for one result's history, `?inactive=1` to show hidden entries. */
export default async function SectionPage({ params, searchParams }: Props) {
  const { launchId, section } = await params;
  if (!isSectionId(section)) notFound();
  const query = await searchParams;
  const code = typeof query.code === 'string' && query.code.length <= 300 ? query.code : undefined;
  const showInactive = query.inactive === '1';
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  const results = section === 'results' || section === 'vitals';
  // People and places the launch may read by name (a refused read is never sent).
  const grants = parseGrantedScopes(access.launch.scope);
  const nameTypes = [...NAMEABLE_TYPES].filter((t) => allows(grants, t, 'r'));
  const view = `${section}${code ? `?code=${code}` : ''}${showInactive ? '&inactive' : ''}`;
  return (
    <ChartShell launchId={launchId} source={source} view={view} {...(section === 'results' ? { current: 'results' as const } : {})}>
      {results && code ? <SectionView view="result" launchId={launchId} kind={section} code={code} source={source} showInactive={showInactive} nameTypes={nameTypes} /> : null}
      {results && !code ? <SectionView view="results" launchId={launchId} kind={section} source={source} /> : null}
      {!results ? <SectionView view="list" launchId={launchId} section={section} source={source} showInactive={showInactive} author={access.launch.workflow === 'patient' ? null : access.launch.fhirUser} nameTypes={nameTypes} /> : null}
    </ChartShell>
  );
}
