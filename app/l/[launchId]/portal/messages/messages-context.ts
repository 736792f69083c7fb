import 'server-only';
import { consentPolicy } from '@/lib/consent/server';
import { findIssuerById, isPatientSelf, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { loadLaunchForPage } from '../../launch-context';

/**
 * What every messages page needs: the patient's own launch, the partition its drafts live in
 * (the same owner as the portal layout's), and the patient's consents with the deployment's
 * default, so the compose form offers only people the patient lets read their messages.
 */
export async function loadMessagesContext(launchId: string) {
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return { ok: false as const, reason: access.reason };
  if (!isPatientSelf(access.launch) || !access.launch.patientId || !access.launch.fhirUser) return { ok: false as const, reason: 'patient-only' as const };
  const { issuerId, fhirUser, patientId } = access.launch;
  const owner = { issuer: findIssuerById(smartConfig(), issuerId)?.fhirBaseUrl ?? issuerId, fhirUser, patient: patientId };
  const store = await getStore();
  const consents = await store.consents.listForPatient({ issuerId, patientId });
  return { ok: true as const, owner, consent: { consents, policy: consentPolicy() } };
}
