import { timingSafeEqual } from 'node:crypto';
import { metrics } from '@/lib/telemetry';

export const dynamic = 'force-dynamic';

function authorized(request: Request): boolean {
  const token = process.env.HOUSECALL_METRICS_TOKEN;
  if (!token) return process.env.HOUSECALL_ENV !== 'production';
  const given = Buffer.from(request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** Prometheus scrape endpoint; in production it needs HOUSECALL_METRICS_TOKEN as a bearer token. */
export async function GET(request: Request): Promise<Response> {
  if (!authorized(request)) return new Response('unauthorized\n', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
  return new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' } });
}
