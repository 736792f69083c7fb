import { recordAudit } from '@/lib/audit';
import { transition } from '@/lib/consent';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** Revokes one of the patient's consents; the next proxied request is judged without it. */
export async function DELETE(request: Request, ctx: { params: Promise<{ launchId: string; consentId: string }> }): Promise<Response> {
  try {
    const { launchId, consentId } = await ctx.params;
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    const consent = await store.consents.get(consentId);
    if (launch.workflow !== 'patient' || !consent || consent.patient?.reference !== `Patient/${launch.patientId}`) throw new ProxyError('not-found');
    const result = transition(consent, 'revoke', new Date(), launch.fhirUser ?? undefined);
    if (!result.ok) throw new ProxyError('invalid-body', result.error.code);
    const saved = await store.consents.save({ ...result.consent, id: consentId }, launch.patientId!);
    await recordAudit(store.audit, {
      category: 'consent', outcome: 'success', subtype: 'consent-revoke', actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId, entity: { reference: `Consent/${consentId}` },
    });
    return fhirResponse(200, saved);
  } catch (e) {
    return outcomeResponse(e);
  }
}
