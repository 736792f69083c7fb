import { auditBreakGlassRefused, breakGlassPrivilege, consentPolicy, startBreakGlass, stopBreakGlass } from '@/lib/consent/server';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { findIssuerById, requireLaunch, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { logger, metrics } from '@/lib/telemetry';
import { breakGlassSchema } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Break-glass: a clinician the issuer lists in `breakGlass.allowedUsers` states why and for how
 * long; until then the proxy acts with the BTG purpose of use, past the patient's restrictions
 * except labels break-glass never overrides. The start, a refusal and the end are audit events
 * that the patient sees in "who has looked at my record".
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  try {
    const parsed = breakGlassSchema.safeParse(await request.json().catch(() => null));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    const issuer = findIssuerById(smartConfig(), launch.issuerId);
    const privilege = breakGlassPrivilege(launch, issuer?.breakGlass.allowedUsers ?? [], consentPolicy().breakGlass !== 'disabled');
    if (privilege !== 'allowed') {
      await auditBreakGlassRefused(launch, store, privilege);
      logger.warn({ event: 'consent.break_glass_refused', launchId: launch.id, outcome: privilege }, 'break-glass refused');
      throw new ProxyError(privilege === 'not-privileged' ? 'break-glass-not-privileged' : 'break-glass-refused');
    }
    const until = Date.now() + parsed.data.minutes * 60_000;
    await startBreakGlass(launch, store, { reason: parsed.data.reason, until });
    metrics.breakGlass.inc({ issuer: launch.issuerId });
    logger.warn({ event: 'consent.break_glass', launchId: launch.id, minutes: parsed.data.minutes }, 'break-glass started');
    return fhirResponse(200, { until: new Date(until).toISOString() });
  } catch (e) {
    return outcomeResponse(e);
  }
}

/** The clinician ends emergency access before its time runs out; audited as its own event. */
export async function DELETE(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  try {
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches);
    const stopped = await stopBreakGlass(launch, store);
    if (stopped) logger.info({ event: 'consent.break_glass_stopped', launchId: launch.id }, 'break-glass stopped');
    return fhirResponse(200, { active: false, stopped });
  } catch (e) {
    return outcomeResponse(e);
  }
}
