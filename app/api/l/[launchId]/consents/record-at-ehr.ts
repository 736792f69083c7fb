import 'server-only';
import { recordConsentsAtEhr } from '@/lib/consent/server';
import { serverEnv } from '@/lib/env';
import { consentWriteSupport, fetchCapability, sendConsentToEhr } from '@/lib/fhir/server';
import { findIssuerById, freshAccessToken, isPatientSelf, smartConfig } from '@/lib/smart';
import type { LaunchRecord, Store } from '@/lib/store';
import { logger } from '@/lib/telemetry';

/**
 * Writes the patient's consents that the EHR does not hold yet, with their launch's token,
 * where the EHR's CapabilityStatement allows Consent writes. Called after every consent change
 * and after a patient launch, which is how a failed write is retried. Never throws: the local
 * consent is already kept, and the sharing centre shows what is not yet at the clinic.
 */
export async function recordAtEhr(store: Store, launch: LaunchRecord): Promise<void> {
  if (!isPatientSelf(launch)) return;
  const issuer = findIssuerById(smartConfig(), launch.issuerId);
  if (!issuer) return;
  try {
    const report = await recordConsentsAtEhr(store.consents, { issuerId: launch.issuerId, patientId: launch.patientId }, {
      capability: () => fetchCapability(issuer.fhirBaseUrl, serverEnv().HOUSECALL_DISCOVERY_CACHE_SECONDS),
      writeSupport: consentWriteSupport,
      send: async (consent, ehr) => sendConsentToEhr({ fhirBase: issuer.fhirBaseUrl, accessToken: await freshAccessToken(launch, { store: store.launches, config: smartConfig() }) }, consent, ehr),
    });
    if (report.written + report.pending + report.unsupported > 0) logger.info({ event: 'consent.ehr_record', launchId: launch.id, ...report }, 'consents recorded at the EHR');
  } catch (e) {
    logger.warn({ event: 'consent.ehr_record_failed', launchId: launch.id, err: { name: (e as Error)?.name } }, 'could not record consents at the EHR');
  }
}
