import { outcomeResponse, ProxyError } from '@/lib/fhir';
import { readBodyCapped } from '@/lib/fhir/server';
import { serverEnv } from '@/lib/env';
import { blockedKind, blockedSource, directiveLabel, logger, metrics } from '@/lib/telemetry';
import { cspReportSchema, MAX_REPORT_BYTES, violationsOf } from './schema';

export const dynamic = 'force-dynamic';

/**
 * Content-Security-Policy violation reports (report-uri and the Reporting API's report-to):
 * parse → count → log the directive and the blocked origin only → 204. No session is needed
 * (browsers send reports without the page's cookies or origin), and nothing else changes.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const text = await readBodyCapped(request, MAX_REPORT_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ProxyError('invalid-body', 'not a CSP violation report');
    }
    const parsed = cspReportSchema.safeParse(json);
    if (!parsed.success) throw new ProxyError('invalid-body', 'not a CSP violation report');
    const own = new URL(serverEnv().HOUSECALL_URL).origin;
    for (const v of violationsOf(parsed.data)) {
      const directive = directiveLabel(v.directive);
      const blocked = blockedSource(v.blocked);
      metrics.cspViolations.inc({ directive, blocked: blockedKind(blocked, own) });
      logger.warn({ event: 'csp.violation', directive, blocked }, 'the browser refused something the content security policy does not allow');
    }
    return new Response(null, { status: 204, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return outcomeResponse(e);
  }
}
