import { recordAudit } from '@/lib/audit';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { newShareLinkSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Creates a partner share link. The token is returned once, here, and stored only as a hash.
 * The link reads through the patient's launch, so it stops working when that launch ends,
 * when it expires, or when the patient revokes it, whichever comes first.
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  try {
    const { launchId } = await ctx.params;
    const parsed = newShareLinkSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    if (launch.workflow !== 'patient' || !launch.patientId) throw new ProxyError('scope-not-granted', 'only the patient shares their record');
    const types = [...new Set(parsed.data.resourceTypes)];
    const { token, link } = await store.shareLinks.create({ launchId, patientId: launch.patientId, resourceTypes: types, ttlMs: parsed.data.hours * 3_600_000 });
    await recordAudit(store.audit, {
      category: 'consent', outcome: 'success', subtype: 'share-link-create', actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId, entity: { reference: `urn:housecall:share-link:${link.id}` },
    });
    return fhirResponse(201, { id: link.id, path: `/share/${token}`, resourceTypes: types, expiresAt: new Date(link.expiresAt).toISOString() });
  } catch (e) {
    return outcomeResponse(e);
  }
}
