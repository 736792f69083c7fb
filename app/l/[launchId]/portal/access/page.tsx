import { AccessVisitItem } from '@/components/access/access-visit-item';
import { HistoryDownload } from '@/components/access/history-download';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { loadLaunchForPage } from '../../launch-context';
import { loadAccessVisits } from './load-visits';

export const dynamic = 'force-dynamic';

/** "Who has looked at my record": the patient's audit log as visits in words, newest first. `?mine=hide` leaves out their own. */
export default async function AccessHistoryPage({ params, searchParams }: { params: Promise<{ launchId: string }>; searchParams: Promise<{ mine?: string }> }) {
  const { launchId } = await params;
  const hideOwn = (await searchParams).mine === 'hide';
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  const visits = await loadAccessVisits(access.launch, await getStore(), hideOwn);
  const link = 'inline-flex min-h-11 items-center py-2 text-[var(--hc-accent)] underline';
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="access-history">
      <p><a className={link} href={`/l/${launchId}/portal`}>Back to your summary</a></p>
      <h1 className="text-xl font-semibold">Who has looked at your record</h1>
      <p className="mt-1 text-sm text-gray-700">Every time anyone opens your record through Housecall, it is written here, newest first, in your own time zone. Emergency access is marked in red.</p>
      <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-2">
        <a data-testid="access-filter-own" className={link} href={`/l/${launchId}/portal/access${hideOwn ? '' : '?mine=hide'}`}>
          {hideOwn ? 'Show your own visits too' : 'Hide your own visits'}
        </a>
        <HistoryDownload launchId={launchId} hideOwn={hideOwn} />
      </div>
      <ul className="mt-3 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white" aria-label="Visits to your record">
        {visits.map((v) => <AccessVisitItem key={v.id} visit={v} />)}
        {visits.length === 0 ? <li className="p-3 text-gray-700">{hideOwn ? 'No one else has opened your record through Housecall yet.' : 'No one has opened your record through Housecall yet.'}</li> : null}
      </ul>
    </main>
  );
}
