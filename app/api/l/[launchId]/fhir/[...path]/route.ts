import { serveFhirProxy } from '@/lib/fhir/proxy-route';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ launchId: string; path: string[] }> };

/**
 * The BFF proxy for the browser's FHIR requests (lib/fhir/proxy-route.ts, then the pipeline in
 * lib/fhir/proxy-pipeline.ts). Housecall's server (server.ts) answers these paths itself, before
 * Next.js; this route answers the ones it leaves to Next.js (an unusual path) and serves
 * `next dev`. Next.js's request proxy (proxy.ts) does not run for it: the same-origin check for
 * writes and the security headers are applied by serveFhirProxy.
 */
async function handle(request: Request, ctx: Ctx): Promise<Response> {
  return serveFhirProxy(request, await ctx.params);
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
