import { FhirCacheProvider } from '@/components/fhir/fhir-cache';
import { SyncIndicator } from '@/components/sync/sync-indicator';
import { SyncProvider } from '@/components/sync/sync-provider';
import { SYNCED_TYPES } from '@/components/sync/sync-targets';
import { AppBar } from '@/components/chart/app-bar';
import { PortalNav } from '@/components/portal/portal-nav';
import { PortalProvider } from '@/components/portal/portal-context';
import { SmartStyle } from '@/components/ui/smart-style';
import { downloadableTypes, findIssuerById, isPatientSelf, portalPartAccess, sharesPatientRecord, smartConfig } from '@/lib/smart';
import { loadLaunchForPage, servedConsentVersion } from '../launch-context';

export const dynamic = 'force-dynamic';

/**
 * Every portal page shares one sync provider and the device cache the summary reads through
 * (both kept across client navigation), the bar with the way out, the sync indicator, and the
 * navigation to the patient's three jobs (results, messages, appointments).
 */
export default async function PortalLayout({ children, params }: { children: React.ReactNode; params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, style, source } = await loadLaunchForPage(launchId);
  if (!access.ok || !isPatientSelf(access.launch)) return children;
  const { issuerId, fhirUser, patientId } = access.launch;
  const issuer = findIssuerById(smartConfig(), issuerId);
  const owner = { issuer: issuer?.fhirBaseUrl ?? issuerId, fhirUser, patient: patientId };
  // Which parts the EHR granted what they need (results read laboratory Observations only).
  const parts = Object.fromEntries(Object.keys(issuer?.scopes.portalParts ?? {}).map((part) => [part, portalPartAccess(issuer!, part, access.launch.scope, part === 'results' ? 'laboratory' : undefined).shared]));
  // The EHR's style is rendered here, once per document, so its nonce is the document's: a
  // page rendered for a client navigation carries a newer nonce the document's policy refuses.
  return (
    <>
      <SmartStyle vars={style} />
      <FhirCacheProvider owner={owner}>
        <SyncProvider launchId={launchId} owner={owner} consentVersion={await servedConsentVersion(access.launch)} readable={downloadableTypes(access.launch.scope, ['Patient', ...SYNCED_TYPES])}>
          <PortalProvider value={{ launchId, owner, source, parts }}>
            <AppBar launchId={launchId} source={source} />
            <SyncIndicator launchId={launchId} />
            {/* With nothing of the record shared, every part would only say so: the page's one action is asking again. */}
            {sharesPatientRecord(access.launch.scope) ? <PortalNav launchId={launchId} /> : null}
            {children}
          </PortalProvider>
        </SyncProvider>
      </FhirCacheProvider>
    </>
  );
}
