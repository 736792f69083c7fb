import { NextResponse, type NextRequest } from 'next/server';
import { serverEnv } from '@/lib/env';
import {
  AUTHORIZE_POST_SCRIPT, contentSecurityPolicy, isStaffPath, CSP_REPORT_PATH, ERROR_PAGE_STYLE, frameAncestorsFor, newNonce, offlineShellHashes, sha256Source,
  smartConfig, strictTransportSecurity,
} from '@/lib/smart';
import { getStore } from '@/lib/store';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ERROR_STYLE_HASH = sha256Source(ERROR_PAGE_STYLE);
const AUTHORIZE_POST_HASH = sha256Source(AUTHORIZE_POST_SCRIPT);

/**
 * Next.js request proxy: security headers for every response, and a same-origin check for
 * every state-changing request. The session cookie is `SameSite=None` (it must work inside an
 * EHR's cross-site frame), so the Origin check is what stops cross-site form posts.
 *
 * The Content-Security-Policy (lib/smart/content-policy.ts) carries a fresh nonce per request;
 * the same policy goes on the request, where Next.js reads the nonce and puts it on the scripts
 * it renders. The prerendered offline shell gets its build's script hashes instead.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const path = request.nextUrl.pathname;
  // Violation reports are sent by the browser itself, without the page's origin; the endpoint
  // changes nothing but a counter.
  if (!SAFE_METHODS.has(request.method) && path !== CSP_REPORT_PATH) {
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
  const env = serverEnv();
  const ancestors = await frameAncestorsFor(request.nextUrl, smartConfig(), async () => (await getStore()).launches);
  // The prerendered shell cannot carry a nonce: its inline scripts are allowed by hash. Without
  // a build (next dev) it is rendered on request and takes the nonce like every other page.
  const shell = path === '/offline' ? offlineShellHashes() : undefined;
  const nonce = shell ? undefined : newNonce();
  const csp = contentSecurityPolicy({
    frameAncestors: ancestors,
    ...(nonce ? { nonce } : {}),
    // /launch may answer with the authorize-post page, whose one script is allowed by hash.
    scriptHashes: [...(shell?.scripts ?? []), ...(path === '/launch' ? [AUTHORIZE_POST_HASH] : [])],
    styleHashes: [ERROR_STYLE_HASH, ...(shell?.styles ?? [])],
    // /launch may post a long authorization request to the EHR (authorize-post): no form-action there.
    formActionSelf: path !== '/launch',
    allowEval: env.HOUSECALL_ENV === 'development' && env.HOUSECALL_CSP_ALLOW_EVAL === '1',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  // Never a nonce the client sent: only the one in this request's policy.
  if (nonce) requestHeaders.set('x-nonce', nonce);
  else requestHeaders.delete('x-nonce');
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  const hsts = strictTransportSecurity(env.HOUSECALL_URL);
  if (hsts) response.headers.set('strict-transport-security', hsts);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'no-referrer');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  // The staff console is never framed: frame-ancestors 'none' above, and the older header for
  // browsers that predate it.
  if (isStaffPath(path)) response.headers.set('x-frame-options', 'DENY');
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
