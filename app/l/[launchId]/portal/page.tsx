import { AppLink } from '@/components/ui/app-link';
import { ChartSummary } from '@/components/chart/chart-summary';
import { PortalAttention } from '@/components/portal/portal-home';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { NothingShared } from '@/components/ui/nothing-shared';
import { VisitLinks } from '@/components/visits/visit-links';
import { describeConsent, describeResourceTypes } from '@/lib/consent';
import { expiringShareItems, type ExpiringShare } from '@/lib/portal';
import { findIssuerById, isPatientSelf, sharesPatientRecord, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { summaryRequestPaths } from '@/lib/fhir/compose/requests';
import { WithFirstScreen } from '../first-screen';
import { firstScreenSummary } from '../first-screen-summary';
import { loadLaunchForPage } from '../launch-context';

export const dynamic = 'force-dynamic';

const SHARE_ACTIONS = [['summary', 'Share my summary'], ['allergies', 'Share my allergies'], ['results', 'Share my results']] as const;
const LINK = 'inline-block min-h-11 py-2 text-[var(--hc-accent,#1d4ed8)] underline';

/**
 * The patient's home: first what needs them now (new results, changes not sent, shares ending,
 * and what other parts add), then their summary, whose sources are one tap away.
 */
export default async function PortalPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  if (!sharesPatientRecord(access.launch.scope)) {
    const issuer = findIssuerById(smartConfig(), access.launch.issuerId);
    return <NothingShared audience="patient" askAgainHref={issuer?.standalone ? `/launch?iss=${encodeURIComponent(issuer.fhirBaseUrl)}` : null} />;
  }
  const patientId = access.launch.patientId ?? '';
  const serverItems = expiringShareItems(launchId, await expiringShares(access.launch.issuerId, access.launch.patientId), Date.now());
  return (
    <div data-hc-styled="" data-testid="styled-root" className="min-h-screen bg-[var(--hc-bg)] [font-family:var(--hc-font)]">
      <main className="mx-auto max-w-5xl">
        <h1 className="sr-only">Your health</h1>
        {/* "For you now" reads the laboratory results too: it shares the summary's answers. */}
        <WithFirstScreen launchId={launchId} paths={summaryRequestPaths(patientId)}>
          {(answers) => {
            const props = { launchId, patientId, source, showBanner: true, audience: 'patient' as const };
            return (
              <>
                <div className="px-3 pt-3">
                  <PortalAttention launchId={launchId} serverItems={serverItems} />
                </div>
                <ChartSummary {...props} firstScreen={firstScreenSummary(answers, props)} />
              </>
            );
          }}
        </WithFirstScreen>
        <VisitLinks launchId={launchId} />
      </main>
      <nav aria-label="Sharing" className="mx-auto flex max-w-3xl flex-wrap gap-x-4 px-3">
        {SHARE_ACTIONS.map(([section, text]) => (
          <a key={section} className={LINK} href={`/l/${launchId}/portal/share?section=${section}`} data-testid={`share-${section}`}>
            {text}
          </a>
        ))}
      </nav>
      <p className="mx-auto flex max-w-3xl flex-wrap gap-x-4 px-3 pb-6">
        <AppLink className={LINK} href={`/l/${launchId}/portal/messages`} data-testid="messages-link">
          Messages with your care team
        </AppLink>
        <AppLink className={LINK} href={`/l/${launchId}/portal/contact`} data-testid="contact-link">
          Your contact details
        </AppLink>
        <a className={LINK} href={`/l/${launchId}/portal/sharing`} data-testid="sharing-centre-link">
          Who I share my record with
        </a>
        <a className={LINK} href={`/l/${launchId}/portal/access`} data-testid="access-history-link">
          Who has looked at my record
        </a>
      </p>
    </div>
  );
}

/** The patient's live shares with an end: share links, and choices to share with someone that end on a date. */
async function expiringShares(issuerId: string, patientId: string | null): Promise<ExpiringShare[]> {
  if (!patientId) return [];
  const store = await getStore();
  const key = { issuerId, patientId };
  const now = new Date();
  const links = (await store.shareLinks.listForPatient(key)).filter((l) => l.revokedAt === null);
  const linkConsents = new Set(links.map((l) => l.consentId).filter(Boolean));
  const consents = (await store.consents.listForPatient(key)).filter((c) => c.id && !linkConsents.has(c.id) && c.provision?.period?.end);
  return [
    ...links.map((l) => ({ kind: 'link' as const, what: `Link to your ${describeResourceTypes(l.resourceTypes)}`, endsAt: l.expiresAt })),
    ...consents.flatMap((c) => {
      const d = describeConsent(c, now);
      return d.kind === 'share' && d.revocable ? [{ kind: 'consent' as const, what: `${d.who} can see ${d.what}`, endsAt: Date.parse(c.provision!.period!.end!) }] : [];
    }),
  ];
}
