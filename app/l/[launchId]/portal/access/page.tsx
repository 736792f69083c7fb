import type { AuditEvent } from '@medplum/fhirtypes';
import { toAccessHistory } from '@/lib/audit';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** "Who has looked at my record": the patient's view of the audit log. */
export default async function AccessHistoryPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  const rows = await (await getStore()).audit.listForPatient({ issuerId: access.launch.issuerId, patientId: access.launch.patientId }, 200);
  const items = toAccessHistory(rows.map((r) => JSON.parse(r.body) as AuditEvent));
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="access-history">
      <p><a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal`}>Back to your summary</a></p>
      <h1 className="text-xl font-semibold">Who has looked at your record</h1>
      <p className="mt-1 text-sm text-gray-700">Every time anyone opens your record through Housecall, it is written here. Emergency access is marked.</p>
      <ul className="mt-3 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white">
        {items.map((i) => (
          <li key={i.id} className="p-3" data-testid="access-item" data-outcome={i.outcome} data-break-glass={i.breakGlass}>
            <div className="font-medium">{i.who} {i.what}</div>
            <div className="text-sm text-gray-700">
              <time dateTime={i.when}>{new Date(i.when).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</time> · {i.outcome}
              {i.breakGlass ? <strong className="ml-2 text-red-800">Emergency access</strong> : null}
              {i.consents.length > 0 ? <span className="ml-2" data-testid="access-item-consent">· as your sharing choices decide</span> : null}
            </div>
          </li>
        ))}
        {items.length === 0 ? <li className="p-3 text-gray-700">No one has opened your record through Housecall yet.</li> : null}
      </ul>
    </main>
  );
}
