import { getStore } from '@/lib/store';
import { auditStaffAction, requireStaffPage } from '@/lib/staff';
import { findLaunches, parseLaunchQuery } from '@/lib/staff/find-launch';
import { toLaunchRow } from '@/lib/staff/launch-view';
import { pseudonymKey } from '@/lib/staff/pseudonym';
import { failedLaunchesByReason, refusedRefreshesByIssuer } from '@/lib/staff/support-lists';
import { LaunchTable } from '@/components/staff/launch-table';
import { FailedLaunches, RefusedRefreshes } from '@/components/staff/support-lists';
import { when } from '@/components/staff/format';

export const dynamic = 'force-dynamic';

/** Support's start: find a launch (error reference, pseudonym or id), and the last hour's failures. */
export default async function StaffSupport({ searchParams }: { searchParams: Promise<{ q?: string | string[]; error?: string | string[] }> }) {
  const { q, error } = await searchParams;
  const session = await requireStaffPage(['support', 'auditor'], '/staff/support');
  const store = await getStore();
  const now = Date.now();
  const key = pseudonymKey();
  const text = typeof q === 'string' ? q.slice(0, 80) : '';
  const query = text ? parseLaunchQuery(text) : undefined;
  const result = query ? await findLaunches(query, { support: store.support, key, now }) : undefined;
  if (query) await auditStaffAction(session, { action: 'staff-search', outcomeCode: `${query.kind}:${result?.launches.length ?? 0}`, query: `${query.kind}=${query.value}` }, store.audit);
  const [failed, refused] = await Promise.all([failedLaunchesByReason(store.support, now), refusedRefreshesByIssuer(store.support, now)]);
  return (
    <main className="mx-auto max-w-3xl space-y-6 p-4 sm:p-6" data-testid="staff-support">
      <section>
        <h1 className="text-xl font-semibold">Find a launch</h1>
        <form method="get" action="/staff/support" className="mt-2 flex flex-wrap gap-2">
          <label htmlFor="q" className="sr-only">Error reference, pseudonymous user or patient reference, or launch id</label>
          <input id="q" name="q" defaultValue={text} placeholder="error reference, u-…, p-… or launch id" className="min-h-11 flex-1 rounded-lg border border-gray-300 px-3" data-testid="staff-search-input" />
          <button type="submit" className="min-h-11 rounded-lg bg-blue-700 px-4 text-white" data-testid="staff-search-submit">Find</button>
        </form>
        {error === 'staff-not-found' ? <p role="alert" className="mt-2 text-amber-900">No such launch.</p> : null}
        {text && !query ? <p role="alert" className="mt-2 rounded-lg bg-amber-50 p-3 text-amber-900" data-testid="staff-search-invalid">Search by an error page’s reference (8 characters), a pseudonymous reference (u-… or p-…) or a launch id. Names, record numbers and birth dates are not searched.</p> : null}
        {result?.reference ? (
          <p className="mt-2 text-sm" data-testid="staff-reference">
            Reference <code>{result.reference.reference}</code>: <code>{result.reference.code}</code> at {when(result.reference.recordedAt)}{result.reference.issuerId ? ` (${result.reference.issuerId})` : ''}. {result.launches.length ? 'Launches of the same browser:' : 'No launch of that browser is known.'}
          </p>
        ) : null}
        {query && query.kind === 'error-reference' && !result?.reference ? <p className="mt-2 text-sm" data-testid="staff-reference-unknown">No error page with that reference in the last 30 days.</p> : null}
        {result ? <LaunchTable rows={result.launches.map((l) => toLaunchRow(l, key))} empty="No launch matches." /> : null}
      </section>
      <section>
        <h2 className="font-semibold">Launches that failed in the last hour</h2>
        <FailedLaunches groups={failed} />
      </section>
      <section>
        <h2 className="font-semibold">Issuers with refused refreshes in the last hour</h2>
        <RefusedRefreshes groups={refused} />
      </section>
    </main>
  );
}
