import { describeConsent, findOverlaps, type OverlapCode } from '@/lib/consent';
import { ConsentItem } from '@/components/consent/consent-item';
import { DefaultChoice } from '@/components/consent/default-choice';
import { ShareLinks } from '@/components/consent/share-links';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** findOverlaps' findings, said to a patient (the engine's own text names consent ids). */
const OVERLAP_TEXT: Record<OverlapCode, string> = {
  'duplicate-consent': 'You made this same choice more than once. You can revoke one of them; nothing changes.',
  'conflicting-consent': 'Another of your choices blocks this sharing for the same person and data. The block wins.',
};

/** Sharing and restricting are offered side by side, alike. */
const CHOICE = 'flex min-h-11 items-center justify-center rounded-lg border border-[var(--hc-accent)] px-4 py-2 text-center font-medium text-[var(--hc-accent)] focus-visible:outline-2';

/** The sharing centre: every consent the patient gave, in plain words, with one-tap revoke. */
export default async function SharingPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  const now = new Date();
  const store = await getStore();
  const patient = { issuerId: access.launch.issuerId, patientId: access.launch.patientId };
  const consents = await store.consents.listForPatient(patient);
  const links = await store.shareLinks.listForPatient(patient);
  const notAtClinic = new Set((await store.consents.ehrRecords(patient)).filter((r) => r.state === 'pending').map((r) => r.id));
  const overlaps = findOverlaps(consents, now);
  const flagged = new Map(overlaps.flatMap((f) => f.consentIds.map((id) => [id, OVERLAP_TEXT[f.code]] as const)));
  const items = consents.map((c) => describeConsent(c, now));
  const current = items.filter((c) => c.revocable);
  const past = items.filter((c) => !c.revocable);
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="sharing-centre">
      <p><a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal`}>Back to your summary</a></p>
      <h1 className="text-xl font-semibold">Who you share your record with</h1>
      <p className="mt-1 text-sm text-gray-700">Each choice you made is listed here. Revoking takes effect straight away.</p>
      <nav aria-label="Make a choice" className="mt-3 grid grid-cols-1 gap-2 sm:grid-cols-2">
        <a data-testid="choice-share" className={CHOICE} href={`/l/${launchId}/portal/share?section=summary`}>Share with someone</a>
        <a data-testid="choice-restrict" className={CHOICE} href={`/l/${launchId}/portal/restrict`}>Keep your record from someone</a>
      </nav>
      <ul className="mt-3 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white" aria-label="In force">
        {current.map((c) => <ConsentItem key={c.id} launchId={launchId} summary={c} overlap={flagged.get(c.id)} notAtClinic={notAtClinic.has(c.id)} />)}
        {current.length === 0 ? <li className="p-3 text-gray-700">Nothing shared or restricted right now.</li> : null}
      </ul>
      {current.some((c) => c.kind === 'default' && c.who !== 'everyone') ? null : <DefaultChoice launchId={launchId} />}
      {past.length > 0 ? (
        <details className="mt-3" data-testid="past-consents">
          <summary className="min-h-11 cursor-pointer py-2">Ended choices ({past.length})</summary>
          <ul className="divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white">
            {past.map((c) => <ConsentItem key={c.id} launchId={launchId} summary={c} overlap={undefined} notAtClinic={notAtClinic.has(c.id)} />)}
          </ul>
        </details>
      ) : null}
      <ShareLinks launchId={launchId} links={links} now={now.getTime()} />
    </main>
  );
}
