import { recordAudit } from '@/lib/audit';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** Revokes one of the patient's share links; the next view shows "revoked". */
export async function DELETE(request: Request, ctx: { params: Promise<{ launchId: string; linkId: string }> }): Promise<Response> {
  try {
    const { launchId, linkId } = await ctx.params;
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    if (launch.workflow !== 'patient' || !launch.patientId) throw new ProxyError('not-found');
    if (!(await store.shareLinks.revoke(linkId, launch.patientId))) throw new ProxyError('not-found');
    await recordAudit(store.audit, {
      category: 'consent', outcome: 'success', subtype: 'share-link-revoke', actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId, entity: { reference: `urn:housecall:share-link:${linkId}` },
    });
    return fhirResponse(200, { id: linkId, revoked: true });
  } catch (e) {
    return outcomeResponse(e);
  }
}
