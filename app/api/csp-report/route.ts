import { outcomeResponse, ProxyError } from '@/lib/fhir';
import { serverEnv } from '@/lib/env';
import { blockedKind, blockedSource, directiveLabel, logger, metrics } from '@/lib/telemetry';
import { cspReportSchema, MAX_REPORT_BYTES, violationsOf } from './schema';

export const dynamic = 'force-dynamic';

/** Reads at most `max` bytes of the body; a longer one is refused without reading the rest. */
async function readCapped(request: Request, max: number): Promise<string> {
  if (Number(request.headers.get('content-length') ?? 0) > max) throw new ProxyError('body-too-large');
  const reader = request.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ProxyError('body-too-large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Content-Security-Policy violation reports (report-uri and the Reporting API's report-to):
 * parse → count → log the directive and the blocked origin only → 204. No session is needed
 * (browsers send reports without the page's cookies or origin), and nothing else changes.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const text = await readCapped(request, MAX_REPORT_BYTES);
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
