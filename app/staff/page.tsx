import { requireStaffPage } from '@/lib/staff';

export const dynamic = 'force-dynamic';

/** The staff console's start: what each of the signed-in person's roles opens. */
export default async function StaffHome() {
  const session = await requireStaffPage(['support', 'auditor', 'clinical-lead'], '/staff');
  const has = (r: string) => session.roles.some((x) => x === r);
  return (
    <main className="mx-auto max-w-3xl p-4 sm:p-6" data-testid="staff-home">
      <h1 className="text-xl font-semibold">Staff console</h1>
      <ul className="mt-4 space-y-2">
        {has('support') ? <li><a className="inline-flex min-h-11 items-center text-blue-700 underline" href="/staff/support" data-testid="staff-link-support">Support: find a launch, failed launches, refused refreshes</a></li> : null}
        {has('auditor') ? <li><a className="inline-flex min-h-11 items-center text-blue-700 underline" href="/staff/audit" data-testid="staff-link-audit">Audit: unusual access and audit trails</a></li> : null}
        {has('clinical-lead') ? <li><a className="inline-flex min-h-11 items-center text-blue-700 underline" href="/staff/care-team" data-testid="staff-link-dashboard">Care-team dashboard</a></li> : null}
      </ul>
    </main>
  );
}
