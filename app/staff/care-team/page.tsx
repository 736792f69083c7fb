import { forbidden } from 'next/navigation';
import { CareTeamCard } from '@/components/staff/care-team-card';
import { smartConfig } from '@/lib/smart';
import { CARE_TEAM_SORTS, loadCareTeam, mayViewCareTeam, openChartHref, parseCareTeamSort, requireStaffPage, type CareTeamSort } from '@/lib/staff';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

const SORT_LABEL: Record<CareTeamSort, string> = { attention: 'Needs attention', stale: 'Stale data', name: 'Name' };

const PROBLEMS = {
  'not-configured': 'The care-team dashboard is not set up for this deployment (smart-config.json careTeam and an issuer backend client).',
  'no-practitioner': 'Your staff account is not linked to a practitioner at the EHR, so there is no care team to show. Ask your administrator to link it.',
  'ehr-unavailable': 'The EHR could not be reached or refused the dashboard. Try again in a few minutes; if it keeps happening, tell support.',
} as const;

/** The care-team dashboard: one card per patient of the signed-in clinician's panel, sortable. */
export default async function CareTeamPage({ searchParams }: { searchParams: Promise<{ sort?: string | string[] }> }) {
  const config = smartConfig();
  // Any signed-in staff member gets this far; the dashboard itself is for clinical leads and the
  // clinicians the deployment lists (mayViewCareTeam), everyone else gets the 403 page.
  const staff = await requireStaffPage([], '/staff/care-team');
  if (!mayViewCareTeam(staff, config.careTeam)) forbidden();
  const sort = parseCareTeamSort((await searchParams).sort);
  const view = await loadCareTeam({ staff, config, store: await getStore(), sort });
  return (
    <main className="mx-auto max-w-5xl p-3" data-testid="care-team">
      <h1 className="text-xl font-semibold">Care team</h1>
      {view.state !== 'ok' ? (
        <p className="mt-2 rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950" role="alert" data-testid="care-team-problem" data-code={view.state}>{PROBLEMS[view.state]}</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-gray-700">
            {view.rows.length} patient{view.rows.length === 1 ? '' : 's'} from {view.issuer.name}. Data is stale when its newest entry is older than {view.staleAfterDays} days; results and consent changes count when within {view.recentDays} days.
            {view.skippedMembers ? ` ${view.skippedMembers} list entr${view.skippedMembers === 1 ? 'y was' : 'ies were'} left out (former, ended or unidentified members).` : ''}
            {view.notShown ? ` ${view.notShown} more not shown.` : ''}
          </p>
          <nav aria-label="Sort patients" className="mt-3 flex flex-wrap gap-2">
            {CARE_TEAM_SORTS.map((s) => (
              <a key={s} href={`/staff/care-team?sort=${s}`} aria-current={s === sort ? 'true' : undefined} data-testid={`sort-${s}`}
                className={`inline-flex min-h-11 items-center rounded-lg border px-3 ${s === sort ? 'border-gray-900 bg-gray-900 text-white' : 'border-gray-400 bg-white text-gray-900'}`}>
                {SORT_LABEL[s]}
              </a>
            ))}
          </nav>
          <ul className="mt-3 grid gap-3 md:grid-cols-2" aria-label="Patients">
            {view.rows.map((row) => <CareTeamCard key={row.patientId} row={row} chartHref={openChartHref(view.openChartUrl, view.practitioner, row.patientId)} />)}
          </ul>
          {view.rows.length === 0 ? <p className="mt-3 text-gray-700" data-testid="care-team-empty">Your panel at the EHR lists no current patients.</p> : null}
        </>
      )}
    </main>
  );
}
