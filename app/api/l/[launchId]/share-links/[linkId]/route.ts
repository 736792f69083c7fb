import { recordAudit } from '@/lib/audit';
import { endConsent } from '@/lib/consent/server';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch, requirePatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { recordAtEhr } from '../../consents/record-at-ehr';

export const dynamic = 'force-dynamic';

/** Revokes one of the patient's share links and the consent it was made from; the next view shows "revoked". */
export async function DELETE(request: Request, ctx: { params: Promise<{ launchId: string; linkId: string }> }): Promise<Response> {
  try {
    const { launchId, linkId } = await ctx.params;
    const store = await getStore();
    const launch = requirePatientSelf(await requireLaunch(launchId, request, store.launches));
    const link = await store.shareLinks.revoke(linkId, { issuerId: launch.issuerId, patientId: launch.patientId });
    if (!link) throw new ProxyError('not-found');
    const by = { launchId, patientId: launch.patientId, fhirUser: launch.fhirUser, issuerId: launch.issuerId };
    await recordAudit(store.audit, {
      category: 'consent', outcome: 'success', subtype: 'share-link-revoke', actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId, entity: { reference: `urn:housecall:share-link:${linkId}` },
    });
    // The link's consent goes with it, so the sharing centre never lists a permission no link uses.
    if (link.consentId !== null) await endConsent(store, link.consentId, 'revoke', by);
    await recordAtEhr(store, launch);
    return fhirResponse(200, { id: linkId, revoked: true });
  } catch (e) {
    return outcomeResponse(e);
  }
}
