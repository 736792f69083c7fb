import 'server-only';
import { z } from 'zod';
import { isPatientSelf } from '../smart/decide-user';
import type { ConsentStore, LaunchRecord } from '../store';
import type { ConsentContext } from './enforce';
import type { Coding } from '@medplum/fhirtypes';
import { BREAK_GLASS_NEVER_OVERRIDES } from './codes';
import type { DecisionPolicy } from './types';

const policyEnv = z.object({
  /** What happens when a patient has no consent on file: this deployment's stated default. */
  HOUSECALL_CONSENT_DEFAULT: z.enum(['permit', 'deny']).default('permit'),
  HOUSECALL_BREAK_GLASS: z.enum(['enabled', 'disabled']).default('enabled'),
});

export function consentPolicy(env: Record<string, string | undefined> = process.env): DecisionPolicy {
  const e = policyEnv.parse(env);
  return { noConsent: e.HOUSECALL_CONSENT_DEFAULT, breakGlass: e.HOUSECALL_BREAK_GLASS };
}

/** What an issuer's configuration says about consent (smart-config.json `purposeOfUse`, `breakGlass.neverOverrides`). */
export interface IssuerConsentOptions {
  /** The purpose clinicians act for; treatment when absent. */
  purposeOfUse?: string;
  breakGlassNeverOverrides?: readonly Coding[];
}

/**
 * The purpose of use of a launch's requests: the patient's own request (PATRQT, when the
 * launch's verified user is the patient: isPatientSelf); break-glass
 * while in force (BTG, a kind of emergency treatment); otherwise the issuer's configured
 * purpose for clinicians, treatment by default. A consent limited to another purpose then
 * does not permit (Consent.provision.purpose).
 */
export function purposeOfUseFor(launch: Pick<LaunchRecord, 'workflow' | 'fhirUser' | 'patientId'>, breakGlass: boolean, issuer: IssuerConsentOptions = {}): string {
  if (isPatientSelf(launch)) return 'PATRQT';
  return breakGlass ? 'BTG' : (issuer.purposeOfUse ?? 'TREAT');
}

const REFERENCE = /^(Practitioner|PractitionerRole|Patient|RelatedPerson|Organization)\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * The consent context of one proxied request: the patient's consents as they are now (loaded
 * fresh, never cached, and only those kept for the launch's issuer and patient), who is asking,
 * and why (purposeOfUseFor: the issuer's purpose for clinicians, BTG while break-glass is in
 * force, PATRQT for patients).
 */
export async function loadConsentContext(launch: LaunchRecord, store: ConsentStore, now: Date = new Date(), issuer: IssuerConsentOptions = {}): Promise<ConsentContext | null> {
  if (!launch.patientId) return null;
  // A user the launch cannot name is an ambiguous actor: rules about actors fail closed for it.
  // So is a user named by a role whose Practitioner could not be read: a rule about that
  // Practitioner must not miss them because the EHR named the role instead.
  const role = launch.fhirUser?.startsWith('PractitionerRole/') === true;
  const proven = launch.fhirUser !== null && REFERENCE.test(launch.fhirUser) && (!role || typeof launch.actsFor === 'string');
  const reference = proven ? launch.fhirUser! : 'Device/housecall';
  const breakGlass = launch.workflow === 'clinician' && launch.breakGlassUntil !== null && launch.breakGlassUntil > now.getTime();
  return {
    patientId: launch.patientId,
    actor: { reference, roles: [], memberOf: proven && role ? [launch.actsFor!] : [], ...(proven ? {} : { verified: false }) },
    purposeOfUse: purposeOfUseFor(launch, breakGlass, issuer),
    consents: await store.listForPatient({ issuerId: launch.issuerId, patientId: launch.patientId }),
    now,
    policy: { ...consentPolicy(), breakGlassNeverOverrides: issuer.breakGlassNeverOverrides ?? BREAK_GLASS_NEVER_OVERRIDES },
  };
}
