import { createHash, randomBytes } from 'node:crypto';

/**
 * The security headers every response carries (CSP Level 3, W3C "Content Security Policy";
 * RFC 6797 for HSTS). Pure: the request proxy (proxy.ts) gathers the inputs — the frame
 * ancestors of the route, a fresh nonce, the hashes of the static offline shell — and this
 * module turns them into header values, so each rule is testable on its own.
 *
 * Why each directive is there:
 * - `script-src 'nonce-…' 'strict-dynamic'`: only scripts the server rendered for this very
 *   request run (Next.js puts the nonce on its own tags and its chunk loader inherits the
 *   trust); an injected `<script>`, inline handler or script from another origin is refused.
 *   No `'unsafe-inline'`, and `'unsafe-eval'` only through the development opt-in.
 * - The offline shell is static HTML stored by the service worker, so it cannot carry a
 *   per-request nonce: its inline scripts are allowed by their SHA-256 hashes, its script files
 *   by `'self'` (no `'strict-dynamic'`, which would ignore `'self'`).
 * - `style-src` has the same nonce (the EHR's SMART style is a nonce'd `<style>` element) and
 *   `'self'` for the built stylesheets; no `'unsafe-inline'`, so no style attributes.
 * - `default-src 'self'`, `connect-src 'self'`: the browser talks only to Housecall (the BFF);
 *   a script that got in anyway could not send data elsewhere.
 * - `blob:` for images and frames only: a patient's document (a PDF or image read through the
 *   proxy, checked by its bytes) is shown from a `blob:` URL the page made itself, so it is never
 *   fetched by URL, cached or stored; `object-src` stays `'none'`.
 * - `object-src 'none'`, `base-uri 'none'`: no plugins, and no `<base>` that would re-point
 *   relative script URLs.
 * - `frame-ancestors`: the issuer's EHR origins only (lib/smart/frame-policy.ts).
 * - `report-uri`: violations reach /api/csp-report, counted and logged without PHI. Not
 *   `report-to`: where both are given Chromium ignores `report-uri` and batches Reporting API
 *   deliveries for up to a minute; the endpoint accepts both formats should that change.
 */
export interface ContentPolicyInput {
  /** Origins allowed to frame the response, `'self'` included. */
  frameAncestors: readonly string[];
  /** A fresh per-request nonce (pages rendered on request), or none for static HTML. */
  nonce?: string;
  /** SHA-256 sources (`'sha256-…'`) of inline scripts allowed on this response. */
  scriptHashes?: readonly string[];
  /** SHA-256 sources of inline `<style>` elements allowed on this response. */
  styleHashes?: readonly string[];
  /** `form-action 'self'` unless the route must post elsewhere (authorize-post at /launch). */
  formActionSelf: boolean;
  /** Development-only opt-in (HOUSECALL_CSP_ALLOW_EVAL with HOUSECALL_ENV=development). */
  allowEval: boolean;
}

/** The path that receives violation reports (report-uri; the Reporting API's format too). */
export const CSP_REPORT_PATH = '/api/csp-report';

/** `'sha256-…'` of a script or style text exactly as it appears between its tags. */
export function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** 128 random bits, base64: unguessable, and the syntax Next.js reads back from the header. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** The Content-Security-Policy header value. */
export function contentSecurityPolicy(p: ContentPolicyInput): string {
  const nonce = p.nonce ? [`'nonce-${p.nonce}'`] : [];
  const scriptHashes = p.scriptHashes ?? [];
  // Nonce'd pages trust what their own scripts load; static HTML falls back to same-origin files.
  const scriptBase = p.nonce ? [...nonce, "'strict-dynamic'"] : ["'self'"];
  const script = [...scriptBase, ...scriptHashes, ...(p.allowEval ? ["'unsafe-eval'"] : [])];
  const style = ["'self'", ...nonce, ...(p.styleHashes ?? [])];
  const directives = [
    "default-src 'self'",
    `script-src ${script.join(' ')}`,
    `style-src ${style.join(' ')}`,
    "img-src 'self' data: blob:",
    "frame-src 'self' blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    ...(p.formActionSelf ? ["form-action 'self'"] : []),
    `frame-ancestors ${p.frameAncestors.join(' ')}`,
    `report-uri ${CSP_REPORT_PATH}`,
  ];
  return directives.join('; ');
}

/**
 * Strict-Transport-Security when Housecall is served over https (two years, subdomains too);
 * none over plain http, where browsers ignore it and a local deployment would be pinned.
 */
export function strictTransportSecurity(housecallUrl: string): string | undefined {
  return new URL(housecallUrl).protocol === 'https:' ? 'max-age=63072000; includeSubDomains' : undefined;
}
