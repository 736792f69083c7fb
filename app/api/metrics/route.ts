import { timingSafeEqual } from 'node:crypto';
import { unusualAccessNow } from '@/lib/audit';
import { serverEnv } from '@/lib/env';
import { getStore } from '@/lib/store';
import { logger, metrics, recordUnusualAccess } from '@/lib/telemetry';

export const dynamic = 'force-dynamic';

function authorized(request: Request): boolean {
  const env = serverEnv();
  const token = env.HOUSECALL_METRICS_TOKEN;
  if (!token) return env.HOUSECALL_ENV !== 'production';
  const given = Buffer.from(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * Prometheus scrape endpoint; in production it needs HOUSECALL_METRICS_TOKEN as a bearer token.
 * Each scrape judges unusual access afresh (one read of the last hour's audit log), so the
 * gauge is current whichever instance is scraped; a store that cannot be read leaves the gauge
 * as it was and is logged, and the scrape still answers.
 */
export async function GET(request: Request): Promise<Response> {
  if (!authorized(request)) return new Response('unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  try {
    recordUnusualAccess(await unusualAccessNow(await getStore()));
  } catch (error) {
    logger.error({ event: 'metrics.unusual_access_failed', err: (error as Error).name }, 'unusual-access check failed');
  }
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } });
}
