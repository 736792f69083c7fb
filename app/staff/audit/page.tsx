import { unusualAccessNow } from '@/lib/audit';
import { getStore } from '@/lib/store';
import { auditStaffAction, requireStaffPage } from '@/lib/staff';
import { toFindingView } from '@/lib/staff/launch-view';
import { pseudonymKey } from '@/lib/staff/pseudonym';
import { Findings } from '@/components/staff/support-lists';

export const dynamic = 'force-dynamic';

/** Auditors: unusual-access findings (each leading to its launches) and the audit chain's state. */
export default async function StaffAudit() {
  const session = await requireStaffPage(['auditor'], '/staff/audit');
  const store = await getStore();
  const key = pseudonymKey();
  const [findings, chain] = await Promise.all([unusualAccessNow(store), store.audit.verify()]);
  await auditStaffAction(session, { action: 'staff-view-findings', outcomeCode: `findings:${findings.length}` }, store.audit);
  return (
    <main className="mx-auto max-w-3xl space-y-6 p-4 sm:p-6" data-testid="staff-audit">
      <h1 className="text-xl font-semibold">Audit</h1>
      <p data-testid="staff-chain">{chain.ok ? `Audit chain verified: ${chain.count} events intact.` : `Audit chain broken at event ${chain.brokenAtSeq} (${chain.reason}).`}</p>
      <section>
        <h2 className="font-semibold">Unusual access</h2>
        <Findings findings={findings.map((f) => toFindingView(f, key))} />
      </section>
      <p><a className="inline-flex min-h-11 items-center text-blue-700 underline" href="/staff/support">Find a launch and its audit trail</a></p>
    </main>
  );
}
