import { recordAudit } from '@/lib/audit';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { resolutionSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Records how a person settled a sync conflict (DESIGN §1 Sync: every resolution is audited).
 * The actor is the launch's user, not what the body claims; the resource must be the launch's
 * patient or belong to it by type, since the body is untrusted input.
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  try {
    const parsed = resolutionSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    const resolution = parsed.data;
    if (!launch.patientId || (resolution.resource.startsWith('Patient/') && resolution.resource !== `Patient/${launch.patientId}`)) {
      throw new ProxyError('outside-compartment');
    }
    const id = await recordAudit(store.audit, {
      category: 'conflict-resolution', outcome: 'success', subtype: 'sync-conflict-resolution', outcomeCode: resolution.decision,
      reasonText: `${resolution.decision}: ${resolution.fields.join(', ')}`.slice(0, 500),
      actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId }, patientId: launch.patientId, launchId: launch.id,
      entity: { reference: resolution.resource },
    });
    return fhirResponse(201, { id });
  } catch (e) {
    return outcomeResponse(e);
  }
}
