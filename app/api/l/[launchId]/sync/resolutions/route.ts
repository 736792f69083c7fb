import { recordAudit } from '@/lib/audit';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { resolutionAuditInput } from './audit-input';
import { resolutionSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Records how a sync conflict was settled, by a person or by the automatic merge (DESIGN §1 Sync:
 * every resolution is audited).
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
    const id = await recordAudit(store.audit, resolutionAuditInput(resolution, launch));
    return fhirResponse(201, { id });
  } catch (e) {
    return outcomeResponse(e);
  }
}
