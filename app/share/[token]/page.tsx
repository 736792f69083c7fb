import { recordAudit } from '@/lib/audit';
import { describeResourceTypes } from '@/lib/consent';
import { getStore } from '@/lib/store';
import { checkLinkConsent } from '@/lib/consent/server';
import { readShared, sharedLines, type SharedLine } from './read-shared';

export const dynamic = 'force-dynamic';

const PROBLEMS = {
  unknown: ['This link does not work', 'Check that you copied the whole link, or ask the patient for a new one.'],
  expired: ['This link has expired', 'Share links last a limited time. Ask the patient for a new one.'],
  revoked: ['The patient stopped sharing', 'The patient revoked this link or the permission it was made from. Ask the patient if you still need their information.'],
  withdrawn: ['This link has been withdrawn', 'The permission behind this link was recorded by mistake, so the link no longer works. Ask the patient for a new one if you need it.'],
  ended: ['This link no longer works', "The patient's session has ended, so their record can no longer be read through this link. Ask the patient for a new one."],
} as const;

function Problem({ kind }: { kind: keyof typeof PROBLEMS }) {
  const [title, text] = PROBLEMS[kind];
  return (
    <main className="mx-auto max-w-xl p-6" data-testid="share-problem" data-problem={kind} role="alert">
      <h1 className="text-xl font-semibold">{title}</h1>
      <p className="mt-3">{text}</p>
    </main>
  );
}

/** A read-only view of exactly what a patient shared by link, for a clinician outside the EHR. */
export default async function SharedRecordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const store = await getStore();
  const opened = await store.shareLinks.open(token);
  const launch = opened.link ? await store.launches.getLaunch(opened.link.launchId) : undefined;
  const audit = (outcome: 'success' | 'denied', code: string) => recordAudit(store.audit, {
    category: 'access', outcome, outcomeCode: code, subtype: 'share-link-view', actor: { fhirUser: null, clientId: 'housecall-share-link', issuerId: opened.link?.issuerId ?? 'unknown' },
    patientId: opened.link?.patientId ?? null, launchId: opened.link?.launchId ?? null, ...(opened.link ? { entity: { reference: `urn:housecall:share-link:${opened.link.id}` } } : {}),
  });
  if (!opened.ok) {
    if (opened.link) await audit('denied', opened.problem);
    return <Problem kind={opened.problem} />;
  }
  // The link is keyed by issuer and patient; it reads only through a live launch of that same patient at that same issuer.
  if (!launch || launch.endedAt !== null || !launch.patientId || launch.issuerId !== opened.link.issuerId || launch.patientId !== opened.link.patientId) {
    await audit('denied', 'launch-ended');
    return <Problem kind="ended" />;
  }
  const ended = await checkLinkConsent(store, opened.link);
  if (ended !== null) {
    const kind = ended === 'consent-expired' ? 'expired' : ended === 'consent-entered-in-error' ? 'withdrawn' : 'revoked';
    await audit('denied', kind);
    return <Problem kind={kind} />;
  }
  const live = { ...launch, patientId: launch.patientId };
  let sections: { type: string; items: SharedLine[]; unavailable: boolean; partial: 'withheld' | 'more' | undefined }[];
  try {
    sections = await Promise.all(opened.link.resourceTypes.map(async (type) => {
      const answer = await readShared(live, opened.link, type, store);
      return { type, items: sharedLines(type, answer.resources), unavailable: answer.unavailable, partial: answer.partial };
    }));
  } catch {
    await audit('denied', 'launch-ended');
    return <Problem kind="ended" />;
  }
  await audit('success', 'viewed');
  return (
    <main className="mx-auto max-w-3xl space-y-4 p-4" data-testid="shared-record">
      <h1 className="text-xl font-semibold">Shared by the patient: {describeResourceTypes(opened.link.resourceTypes)}</h1>
      <p className="text-sm text-gray-700">Read only. This link works until {new Date(opened.link.expiresAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC unless the patient revokes it. Each view is recorded and the patient can see it.</p>
      {sections.map((s) => (
        <section key={s.type} aria-labelledby={`sh-${s.type}`} data-testid="shared-section" data-type={s.type} className="rounded-xl border border-gray-200 bg-white p-3">
          <h2 id={`sh-${s.type}`} className="font-semibold capitalize">{describeResourceTypes([s.type])}</h2>
          <ul className="mt-2 divide-y divide-gray-100">
            {s.items.map((i) => (
              <li key={i.id} className="py-2">{i.text}{i.when ? <span className="ml-2 text-sm text-gray-700">{i.when.slice(0, 10)}</span> : null}</li>
            ))}
            {s.items.length === 0 && !s.unavailable && s.partial !== 'withheld' ? <li className="py-2 text-gray-700">Nothing recorded.</li> : null}
          </ul>
          {/* An EHR that did not answer, or answered in part, never reads as "nothing recorded". */}
          {s.unavailable ? <p className="mt-2 rounded bg-amber-50 p-2 text-amber-950" data-testid="shared-unavailable">The patient&apos;s EHR could not be read just now. Reload this page to try again; do not take this as nothing recorded.</p> : null}
          {s.partial ? <p className="mt-2 rounded bg-amber-50 p-2 text-amber-950" data-testid="shared-partial" data-partial={s.partial}>{s.partial === 'withheld' ? 'The EHR left some entries out, so this list may not be complete.' : 'Only the newest 50 entries are shown.'}</p> : null}
        </section>
      ))}
    </main>
  );
}
