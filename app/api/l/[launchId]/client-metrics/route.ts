import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { recordClientMetrics } from '@/lib/telemetry';
import { clientMetricsSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Clients report their sync health here; it becomes Prometheus metrics labelled by issuer only,
 * and the latest report is kept with the launch for support's launch page (counts and ages only).
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  try {
    const { launchId } = await ctx.params;
    const parsed = clientMetricsSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    recordClientMetrics(launch.issuerId, parsed.data);
    await store.support.putClientMetrics(launch.id, parsed.data);
    return fhirResponse(204, null);
  } catch (e) {
    return outcomeResponse(e);
  }
}
