import { notFound } from 'next/navigation';
import { unusualAccessNow } from '@/lib/audit';
import { getStore } from '@/lib/store';
import { auditStaffAction, requireStaffPage } from '@/lib/staff';
import { buildLaunchView } from '@/lib/staff/launch-view';
import { pseudonymKey } from '@/lib/staff/pseudonym';
import { LaunchDetail } from '@/components/staff/launch-detail';

export const dynamic = 'force-dynamic';

/** One launch for support (who may act on it) and auditors (who may reveal its ids); each view is audited. */
export default async function StaffLaunch({ params, searchParams }: { params: Promise<{ launchId: string }>; searchParams: Promise<{ done?: string | string[]; error?: string | string[] }> }) {
  const { launchId } = await params;
  const { done, error } = await searchParams;
  const session = await requireStaffPage(['support', 'auditor'], `/staff/support/launch/${launchId}`);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(launchId)) notFound();
  const store = await getStore();
  const view = await buildLaunchView(launchId, { store, key: pseudonymKey(), findings: await unusualAccessNow(store) });
  if (!view) notFound();
  await auditStaffAction(session, { action: 'staff-view-launch', launch: { id: view.id, issuerId: view.issuerId, patientId: (await store.launches.getLaunch(launchId))?.patientId ?? null } }, store.audit);
  return (
    <LaunchDetail
      view={view}
      canAct={session.roles.includes('support')}
      canReveal={session.roles.includes('auditor')}
      {...(typeof done === 'string' ? { done } : {})}
      {...(typeof error === 'string' ? { error } : {})}
    />
  );
}
