import { NextResponse, type NextRequest } from 'next/server';
import { serverEnv } from '@/lib/env';
import { frameAncestorsFor, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Next.js request proxy: security headers for every response, and a same-origin check for
 * every state-changing request. The session cookie is `SameSite=None` (it must work inside an
 * EHR's cross-site frame), so the Origin check is what stops cross-site form posts.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (!SAFE_METHODS.has(request.method)) {
    const origin = request.headers.get('origin');
    const site = request.headers.get('sec-fetch-site');
    const own = new URL(serverEnv().HOUSECALL_URL).origin;
    // Browsers send Sec-Fetch-Site; with Referrer-Policy no-referrer a same-origin form post
    // carries `Origin: null`, so the Origin header decides only when Sec-Fetch-Site is absent.
    const crossSite = site !== null ? site !== 'same-origin' : origin !== null && origin !== own;
    if (crossSite) {
      return NextResponse.json(
        { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', details: { coding: [{ system: 'urn:housecall:outcome', code: 'cross-origin-write' }], text: 'Cross-origin requests may not change anything.' } }] },
        { status: 403, headers: { 'cache-control': 'no-store' } },
      );
    }
  }
  const response = NextResponse.next();
  const ancestors = await frameAncestorsFor(request.nextUrl, smartConfig(), async () => (await getStore()).launches);
  // /launch may post a long authorization request to the EHR (authorize-post): no form-action there.
  const formAction = request.nextUrl.pathname === '/launch' ? '' : " form-action 'self';";
  response.headers.set('content-security-policy', `frame-ancestors ${ancestors.join(' ')}; base-uri 'self';${formAction} object-src 'none'; worker-src 'self'`);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'no-referrer');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  const path = request.nextUrl.pathname;
  if (path === '/offline' || path === '/sw.js') {
    // The offline shell (no PHI) is stored by the service worker, which refuses `no-store`; the
    // worker script itself is always revalidated so a new build's worker is found.
    response.headers.set('cache-control', 'no-cache');
  } else if (path !== '/' && !path.startsWith('/.well-known/')) {
    response.headers.set('cache-control', 'no-store');
  }
  return response;
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
