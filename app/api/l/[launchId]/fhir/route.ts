import { recordAudit } from '@/lib/audit';
import { outcomeResponse, ProxyError } from '@/lib/fhir';
import { authenticateLaunch } from '@/lib/smart';
import { getStore, type LaunchRecord } from '@/lib/store';
import { logger } from '@/lib/telemetry';

export const dynamic = 'force-dynamic';

/**
 * The FHIR base itself, where a client would POST a batch or transaction Bundle. The proxy
 * refuses them outright: each entry would need its own parse, compartment and consent
 * judgement, and one patient's launch could otherwise name another patient's data inside an
 * entry. Every refusal is audited like any other proxy refusal; the body is never read.
 */
async function handle(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const store = await getStore();
  const error = new ProxyError(request.method === 'POST' ? 'batch-not-supported' : 'invalid-path');
  let launch: LaunchRecord | undefined;
  try {
    const access = await authenticateLaunch(launchId, request.headers.get('cookie'), store.launches);
    if (access.ok) launch = access.launch;
    await recordAudit(store.audit, {
      category: 'access', outcome: 'denied', outcomeCode: error.code, subtype: request.method === 'POST' ? 'batch' : 'unparsed',
      actor: { fhirUser: launch?.fhirUser ?? null, clientId: 'housecall', issuerId: launch?.issuerId ?? 'unknown' }, patientId: launch?.patientId ?? null, launchId,
    });
  } catch (auditError) {
    logger.error({ event: 'audit.write_failed', launchId, err: { name: (auditError as Error).name } }, 'audit write failed');
  }
  logger.info({ event: 'proxy.refused', launchId, outcome: error.code }, 'proxy refused');
  return outcomeResponse(error);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
