import { randomUUID } from 'node:crypto';
import { recordAudit } from '@/lib/audit';
import { CONSENT_PREVIEW_EXTENSION, describeResourceTypes, shareLinkRecipient, shareWith } from '@/lib/consent';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch, requirePatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { recordAtEhr } from '../consents/record-at-ehr';
import { newShareLinkSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Creates a partner share link, made from a Consent recorded first: a permit for whoever holds
 * the link, for the chosen types and exactly the link's lifetime. The token is returned once,
 * here, and stored only as a hash. The link stops working when the patient's launch ends, when
 * it expires, or when the patient revokes the link or its consent, whichever comes first.
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  try {
    const { launchId } = await ctx.params;
    const parsed = newShareLinkSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const store = await getStore();
    const launch = requirePatientSelf(await requireLaunch(launchId, request, store.launches));
    const types = [...new Set(parsed.data.resourceTypes)];
    const now = new Date();
    const ttlMs = parsed.data.hours * 3_600_000;
    const linkId = randomUUID();
    const consentId = randomUUID();
    const end = new Date(now.getTime() + ttlMs).toISOString();
    const consent = shareWith({ patientId: launch.patientId, id: consentId, dateTime: now.toISOString(), recipient: shareLinkRecipient(linkId), resourceTypes: types, period: { start: now.toISOString(), end } });
    const preview = `Anyone with the link can read your ${describeResourceTypes(types)} until ${end.slice(0, 16).replace('T', ' ')} UTC, unless you revoke it.`;
    await store.consents.save({ ...consent, id: consentId, extension: [{ url: CONSENT_PREVIEW_EXTENSION, valueString: preview }] }, { issuerId: launch.issuerId, patientId: launch.patientId });
    const { token, link } = await store.shareLinks.create({ id: linkId, launchId, issuerId: launch.issuerId, patientId: launch.patientId, resourceTypes: types, ttlMs, consentId });
    const actor = { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId };
    await recordAudit(store.audit, { category: 'consent', outcome: 'success', subtype: 'consent-share-link', actor, patientId: launch.patientId, launchId, entity: { reference: `Consent/${consentId}` } });
    await recordAudit(store.audit, { category: 'consent', outcome: 'success', subtype: 'share-link-create', actor, patientId: launch.patientId, launchId, entity: { reference: `urn:housecall:share-link:${link.id}` } });
    await recordAtEhr(store, launch);
    return fhirResponse(201, { id: link.id, consentId, path: `/share/${token}`, resourceTypes: types, expiresAt: new Date(link.expiresAt).toISOString() });
  } catch (e) {
    return outcomeResponse(e);
  }
}
