import { consentSentence, describeConsent, findOverlaps } from '@/lib/consent';
import { RevokeButton } from '@/components/consent/revoke-button';
import { ShareLinks } from '@/components/consent/share-links';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { getStore } from '@/lib/store';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

const STATUS_TEXT: Record<string, string> = {
  active: 'In force', scheduled: 'Starts later', expired: 'Expired', inactive: 'Revoked', draft: 'Not recorded yet', rejected: 'Rejected', 'entered-in-error': 'Recorded in error', proposed: 'Proposed',
};

/** The sharing centre: every consent the patient gave, in plain words, with one-tap revoke. */
export default async function SharingPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (access.launch.workflow !== 'patient' || !access.launch.patientId) return <LaunchProblem reason="not-found" />;
  const now = new Date();
  const store = await getStore();
  const consents = await store.consents.listForPatient(access.launch.patientId);
  const links = await store.shareLinks.listForPatient(access.launch.patientId);
  const overlaps = findOverlaps(consents, now);
  const flagged = new Map(overlaps.flatMap((f) => f.consentIds.map((id) => [id, f.text] as const)));
  const items = consents.map((c) => describeConsent(c, now)).sort((a, b) => Number(b.revocable) - Number(a.revocable));
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="sharing-centre">
      <p><a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal`}>Back to your summary</a></p>
      <h1 className="text-xl font-semibold">Who you share your record with</h1>
      <p className="mt-1 text-sm text-gray-700">Each choice you made is listed here. Revoking takes effect straight away.</p>
      <ul className="mt-3 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white">
        {items.map((s) => (
          <li key={s.id} className="space-y-1 p-3" data-testid="consent-item" data-consent-id={s.id} data-status={s.status}>
            <div className="font-medium">{consentSentence(s)}</div>
            <div className="text-sm text-gray-700">For {s.purpose} · {s.until} · <strong>{STATUS_TEXT[s.status] ?? s.status}</strong></div>
            {s.preview ? (
              <details className="text-sm"><summary className="min-h-11 cursor-pointer py-2">What you agreed to</summary><p className="whitespace-pre-line" data-testid="consent-preview">{s.preview}</p></details>
            ) : null}
            {flagged.has(s.id) ? <p className="text-sm text-amber-900" data-testid="consent-overlap">{flagged.get(s.id)}</p> : null}
            {s.revocable ? <RevokeButton path={`/api/l/${launchId}/consents/${encodeURIComponent(s.id)}`} label={consentSentence(s)} /> : null}
          </li>
        ))}
        {items.length === 0 ? <li className="p-3 text-gray-700">You have not shared or restricted anything yet.</li> : null}
      </ul>
      <ShareLinks launchId={launchId} links={links} now={now.getTime()} />
    </main>
  );
}
