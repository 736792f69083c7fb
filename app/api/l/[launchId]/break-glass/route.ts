import { recordAudit } from '@/lib/audit';
import { consentPolicy } from '@/lib/consent/server';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { logger, metrics } from '@/lib/telemetry';
import { breakGlassSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Break-glass: a clinician states why and for how long; until then the proxy acts with the
 * BTG purpose of use, past the patient's restrictions. Recorded as an alert-level audit event
 * that the patient sees in "who has looked at my record".
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  try {
    const parsed = breakGlassSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    if (launch.workflow !== 'clinician' || consentPolicy().breakGlass === 'disabled') throw new ProxyError('break-glass-refused');
    const until = Date.now() + parsed.data.minutes * 60_000;
    await store.launches.setBreakGlass(launch.id, until);
    await recordAudit(store.audit, {
      category: 'break-glass', outcome: 'success', subtype: 'break-glass', purposeOfUse: ['BTG'], reasonText: parsed.data.reason,
      actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId }, patientId: launch.patientId, launchId: launch.id,
    });
    metrics.breakGlass.inc({ issuer: launch.issuerId });
    logger.warn({ event: 'consent.break_glass', launchId: launch.id, minutes: parsed.data.minutes }, 'break-glass started');
    return fhirResponse(200, { until: new Date(until).toISOString() });
  } catch (e) {
    return outcomeResponse(e);
  }
}
