import { NextResponse, type NextRequest } from 'next/server';
import { requestSecurity, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';

/**
 * Next.js request proxy: security headers for every response, and a same-origin check for
 * every state-changing request (lib/smart/request-security.ts).
 *
 * The Content-Security-Policy carries a fresh nonce per request; the same policy goes on the
 * request, where Next.js reads the nonce and puts it on the scripts it renders.
 *
 * The FHIR proxy route (`/api/l/{launchId}/fhir/…`) is left out of the matcher and applies the
 * same `requestSecurity` itself: it answers JSON only, and on its busiest path running this
 * proxy through Next.js cost more CPU than all of the route's own work (issue 16).
 */
export async function proxy(request: NextRequest): Promise<Response> {
  const security = await requestSecurity(request.nextUrl, request.method, request.headers, { config: smartConfig(), launches: async () => (await getStore()).launches });
  if (security.refused) return security.refused;
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', security.csp);
  // Never a nonce the client sent: only the one in this request's policy.
  if (security.nonce) requestHeaders.set('x-nonce', security.nonce);
  else requestHeaders.delete('x-nonce');
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of security.headers) response.headers.set(name, value);
  return response;
}

/** Every path but Next's static files and the FHIR proxy route, which applies requestSecurity itself. */
export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|api/l/[^/]+/fhir/).*)'],
};
