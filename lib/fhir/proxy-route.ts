import 'server-only';
import { randomUUID } from 'node:crypto';
import { requestSecurity, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { proxyFhirRequest, type ProxyTarget } from './proxy-pipeline';

/**
 * One browser request to the FHIR proxy, as a web Request in and a Response out: the same-origin
 * check for writes and the security headers every response carries (lib/smart/request-security.ts,
 * the rules Next.js's request proxy applies to every other path), then the pipeline. Served by
 * the Node server's direct path (lib/server/fhir-direct.ts) and by the Next.js route
 * (app/api/l/[launchId]/fhir/[...path]), which answer alike.
 */
export async function serveFhirProxy(request: Request, target: ProxyTarget): Promise<Response> {
  const security = await requestSecurity(new URL(request.url), request.method, request.headers, { config: smartConfig(), launches: async () => (await getStore()).launches });
  if (security.refused) return security.refused;
  // One id per request, made here (never the client's): on the response and in its AuditEvent.
  const requestId = randomUUID();
  const response = await proxyFhirRequest(request, target, requestId);
  for (const [name, value] of security.headers) response.headers.set(name, value);
  response.headers.set('x-request-id', requestId);
  return response;
}
