import { requireStaffPage } from '@/lib/staff';

export const dynamic = 'force-dynamic';

/** Auditors' start: unusual-access findings and audit trails (filled in by the audit pages). */
export default async function StaffAudit() {
  await requireStaffPage(['auditor'], '/staff/audit');
  return (
    <main className="mx-auto max-w-3xl p-4 sm:p-6" data-testid="staff-audit">
      <h1 className="text-xl font-semibold">Audit</h1>
    </main>
  );
}
