import 'server-only';
import { z } from 'zod';
import { isPatientSelf } from '../smart/decide-user';
import type { ConsentStore, LaunchRecord } from '../store';
import type { ConsentContext } from './enforce';
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

const REFERENCE = /^(Practitioner|PractitionerRole|Patient|RelatedPerson|Organization)\/[A-Za-z0-9\-.]{1,64}$/;

/**
 * The consent context of one proxied request: the patient's consents as they are now (loaded
 * fresh, never cached, and only those kept for the launch's issuer and patient), who is asking,
 * and why. Clinicians act for treatment, or for
 * break-glass while it is in force; patients act for themselves.
 */
export async function loadConsentContext(launch: LaunchRecord, store: ConsentStore, now: Date = new Date()): Promise<ConsentContext | null> {
  if (!launch.patientId) return null;
  const reference = launch.fhirUser && REFERENCE.test(launch.fhirUser) ? launch.fhirUser : 'Device/housecall';
  const breakGlass = launch.workflow === 'clinician' && launch.breakGlassUntil !== null && launch.breakGlassUntil > now.getTime();
  return {
    patientId: launch.patientId,
    actor: { reference, roles: [], memberOf: [] },
    purposeOfUse: isPatientSelf(launch) ? 'PATRQT' : breakGlass ? 'BTG' : 'TREAT',
    consents: await store.listForPatient({ issuerId: launch.issuerId, patientId: launch.patientId }),
    now,
    policy: consentPolicy(),
  };
}
