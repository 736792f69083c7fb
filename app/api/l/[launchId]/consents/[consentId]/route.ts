import { endConsent } from '@/lib/consent/server';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch, requirePatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { recordAtEhr } from '../record-at-ehr';
import { endingSchema } from '../schema';

export const dynamic = 'force-dynamic';

/**
 * Revokes one of the patient's consents (`?as=entered-in-error` marks it recorded in error
 * instead); the next proxied request is judged without it and share links made from it end.
 */
export async function DELETE(request: Request, ctx: { params: Promise<{ launchId: string; consentId: string }> }): Promise<Response> {
  try {
    const { launchId, consentId } = await ctx.params;
    const as = endingSchema.safeParse(new URL(request.url).searchParams.get('as') ?? undefined);
    if (!as.success) throw new ProxyError('invalid-parameter', 'as');
    const store = await getStore();
    const launch = requirePatientSelf(await requireLaunch(launchId, request, store.launches));
    const event = as.data === 'entered-in-error' ? 'mark-entered-in-error' : 'revoke';
    const ended = await endConsent(store, consentId, event, { launchId, patientId: launch.patientId, fhirUser: launch.fhirUser, issuerId: launch.issuerId });
    if (!ended.ok) throw new ProxyError(ended.code === 'not-found' ? 'not-found' : 'invalid-body', ended.code);
    await recordAtEhr(store, launch);
    return fhirResponse(200, ended.consent);
  } catch (e) {
    return outcomeResponse(e);
  }
}
