import { randomUUID } from 'node:crypto';
import { proxyFhirRequest } from '@/lib/fhir/proxy-pipeline';
import { requestSecurity, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ launchId: string; path: string[] }> };

/**
 * The BFF proxy for the browser's FHIR requests; the pipeline itself is lib/fhir/proxy-pipeline.ts.
 *
 * Next.js's request proxy (proxy.ts) does not run for this route: the same-origin check for
 * writes and the security headers every response carries are applied here, by the same
 * function (lib/smart/request-security.ts). A cross-site write is refused before anything else.
 */
async function handle(request: Request, ctx: Ctx): Promise<Response> {
  const security = await requestSecurity(new URL(request.url), request.method, request.headers, { config: smartConfig(), launches: async () => (await getStore()).launches });
  if (security.refused) return security.refused;
  // One id per request, made here (never the client's): on the response and in its AuditEvent.
  const requestId = randomUUID();
  const response = await proxyFhirRequest(request, await ctx.params, requestId);
  for (const [name, value] of security.headers) response.headers.set(name, value);
  response.headers.set('x-request-id', requestId);
  return response;
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
