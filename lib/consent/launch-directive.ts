import 'server-only';
import { PATIENT_TYPES } from '../fhir/compartment';
import { findIssuerById, smartConfig } from '../smart';
import type { ConsentStore, LaunchRecord } from '../store';
import { launchConsentDirective, type ConsentDirective } from './sync-directive';

/**
 * The directive the sync endpoint hands this launch's client now: every patient type, judged for
 * the issuer's purpose of use and break-glass limits, exactly as the proxy judges a request.
 * The pages name its version too, so the client knows which choices their answers were judged
 * under (components/sync/open-sync-engine.ts).
 */
export function directiveForLaunch(launch: LaunchRecord, consents: ConsentStore, now: Date = new Date()): Promise<ConsentDirective> {
  const issuer = findIssuerById(smartConfig(), launch.issuerId);
  return launchConsentDirective(launch, consents, Object.keys(PATIENT_TYPES), now, { purposeOfUse: issuer?.purposeOfUse, breakGlassNeverOverrides: issuer?.breakGlass.neverOverrides });
}
