import 'server-only';
import { serverEnv } from '../env';
import type { LaunchStore } from '../store';
import type { SmartConfig } from './config';
import { AUTHORIZE_POST_SCRIPT, ERROR_PAGE_STYLE } from './error-page';
import { contentSecurityPolicy, CSP_REPORT_PATH, newNonce, sha256Source, strictTransportSecurity } from './content-policy';
import { frameAncestorsFor, isStaffPath } from './frame-policy';
import { offlineShellHashes } from './static-shell';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ERROR_STYLE_HASH = sha256Source(ERROR_PAGE_STYLE);
const AUTHORIZE_POST_HASH = sha256Source(AUTHORIZE_POST_SCRIPT);

/**
 * What every request gets before it is handled: a same-origin check for state-changing requests,
 * and the security headers of its response. The request proxy (proxy.ts) applies it to every
 * path but one: the FHIR proxy route (`/api/l/{launchId}/fhir/…`, the busiest path, where
 * running Next.js's request proxy cost more than the rest of Housecall's own work) applies the
 * same rules itself, from this same function.
 */
export type RequestSecurity =
  | { refused: Response }
  | {
    refused?: undefined;
    /** The Content-Security-Policy, also handed to Next.js on the request (it reads the nonce). */
    csp: string;
    nonce: string | undefined;
    /** The response headers: CSP, HSTS over https, nosniff, referrer and permissions policy, framing and caching. */
    headers: [string, string][];
  };

/**
 * The session cookie is `SameSite=None` (it must work inside an EHR's cross-site frame), so the
 * Origin check is what stops cross-site form posts. Browsers send Sec-Fetch-Site; with
 * Referrer-Policy no-referrer a same-origin form post carries `Origin: null`, so the Origin header
 * decides only when Sec-Fetch-Site is absent. Violation reports are sent by the browser itself,
 * without the page's origin; that endpoint changes nothing but a counter.
 */
function crossSiteWrite(method: string, path: string, headers: Headers, ownOrigin: string): boolean {
  if (SAFE_METHODS.has(method) || path === CSP_REPORT_PATH) return false;
  const origin = headers.get('origin');
  const site = headers.get('sec-fetch-site');
  return site !== null ? site !== 'same-origin' : origin !== null && origin !== ownOrigin;
}

/**
 * The same-origin check and the security headers for one request. The CSP carries a fresh nonce
 * per request; the prerendered offline shell gets its build's script hashes instead.
 */
export async function requestSecurity(url: URL, method: string, headers: Headers, deps: { config: SmartConfig; launches: () => Promise<LaunchStore> }): Promise<RequestSecurity> {
  const path = url.pathname;
  const env = serverEnv();
  if (crossSiteWrite(method, path, headers, new URL(env.HOUSECALL_URL).origin)) {
    const body = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', details: { coding: [{ system: 'urn:housecall:outcome', code: 'cross-origin-write' }], text: 'Cross-origin requests may not change anything.' } }] };
    return { refused: Response.json(body, { status: 403, headers: { 'cache-control': 'no-store' } }) };
  }
  const ancestors = await frameAncestorsFor(url, deps.config, deps.launches);
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
  const out: [string, string][] = [['content-security-policy', csp]];
  const hsts = strictTransportSecurity(env.HOUSECALL_URL);
  if (hsts) out.push(['strict-transport-security', hsts]);
  out.push(['x-content-type-options', 'nosniff'], ['referrer-policy', 'no-referrer'], ['permissions-policy', 'camera=(), microphone=(), geolocation=()']);
  // The staff console is never framed: frame-ancestors 'none' above, and the older header for
  // browsers that predate it.
  if (isStaffPath(path)) out.push(['x-frame-options', 'DENY']);
  if (path === '/offline' || path === '/sw.js') {
    // The offline shell (no PHI) is stored by the service worker, which refuses `no-store`; the
    // worker script itself is always revalidated so a new build's worker is found.
    out.push(['cache-control', 'no-cache']);
  } else if (path !== '/' && !path.startsWith('/.well-known/')) {
    out.push(['cache-control', 'no-store']);
  }
  return { csp, nonce, headers: out };
}
