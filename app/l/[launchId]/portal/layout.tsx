import { FhirCacheProvider } from '@/components/fhir/fhir-cache';
import { SyncIndicator } from '@/components/sync/sync-indicator';
import { SyncProvider } from '@/components/sync/sync-provider';
import { SmartStyle } from '@/components/ui/smart-style';
import { findIssuerById, isPatientSelf, smartConfig } from '@/lib/smart';
import { loadLaunchForPage } from '../launch-context';

export const dynamic = 'force-dynamic';

/**
 * Every portal page shares one sync provider and the device cache the summary reads through
 * (both kept across client navigation), and the sync indicator on top.
 */
export default async function PortalLayout({ children, params }: { children: React.ReactNode; params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, style } = await loadLaunchForPage(launchId);
  if (!access.ok || !isPatientSelf(access.launch)) return children;
  const { issuerId, fhirUser, patientId } = access.launch;
  const owner = { issuer: findIssuerById(smartConfig(), issuerId)?.fhirBaseUrl ?? issuerId, fhirUser, patient: patientId };
  // The EHR's style is rendered here, once per document, so its nonce is the document's: a
  // page rendered for a client navigation carries a newer nonce the document's policy refuses.
  return (
    <>
      <SmartStyle vars={style} />
      <FhirCacheProvider owner={owner}>
        <SyncProvider launchId={launchId} owner={owner}>
          <SyncIndicator launchId={launchId} />
          {children}
        </SyncProvider>
      </FhirCacheProvider>
    </>
  );
}
