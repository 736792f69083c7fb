import { ChartPrefetch } from '@/components/chart/chart-prefetch';
import { FhirCacheProvider } from '@/components/fhir/fhir-cache';
import { SyncIndicator } from '@/components/sync/sync-indicator';
import { SyncProvider } from '@/components/sync/sync-provider';
import { SmartStyle } from '@/components/ui/smart-style';
import { findIssuerById, smartConfig } from '@/lib/smart';
import { loadLaunchForPage, servedConsentVersion } from '../launch-context';

export const dynamic = 'force-dynamic';

/**
 * Every chart view shares, across client navigation, the device cache of this clinician and
 * patient (views render from it when the EHR cannot be reached) and the outbox of their notes
 * and comments, with the one-sentence sync indicator on top. The chart itself downloads nothing
 * in the background: its views read through the cache.
 */
export default async function ChartLayout({ children, params }: { children: React.ReactNode; params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, style } = await loadLaunchForPage(launchId);
  if (!access.ok || !access.launch.patientId || !access.launch.fhirUser) return children;
  const { issuerId, fhirUser, patientId } = access.launch;
  const owner = { issuer: findIssuerById(smartConfig(), issuerId)?.fhirBaseUrl ?? issuerId, fhirUser, patient: patientId };
  // The EHR's style is rendered here, once per document, so its nonce is the document's: a
  // page rendered for a client navigation carries a newer nonce the document's policy refuses.
  return (
    <>
      <SmartStyle vars={style} />
      <FhirCacheProvider owner={owner}>
        <SyncProvider launchId={launchId} owner={owner} downloads="none" consentVersion={await servedConsentVersion(access.launch)}>
          <SyncIndicator launchId={launchId} reviewHref={`/l/${launchId}/chart/review`} />
          {children}
          <ChartPrefetch launchId={launchId} />
        </SyncProvider>
      </FhirCacheProvider>
    </>
  );
}
