import 'server-only';
import type { ParsedFhirRequest } from './parse-request';
import { fetchTransport, nodeTransport } from './ehr-transport';
import { ProxyError } from './outcome';

export const UPSTREAM_TIMEOUT_MS = 15_000;
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface UpstreamResponse {
  status: number;
  body: unknown;
  etag: string | null;
  lastModified: string | null;
  location: string | null;
  /** The EHR's `Retry-After` on 429/503 (RFC 9110 §10.2.3), passed to the browser so its sync waits as long as asked. */
  retryAfter: string | null;
  /**
   * The EHR's `Date` (RFC 9110 §6.6.1), passed to the browser: a sync cursor that falls back to
   * the response's Date must read the EHR's clock, never Housecall's.
   */
  date: string | null;
}

/** Builds the EHR URL for a parsed request. Only the FHIR base from the registry is ever used. */
export function upstreamUrl(fhirBase: string, req: ParsedFhirRequest): URL {
  const base = fhirBase.replace(/\/+$/, '');
  const path = [req.resourceType, req.id, req.interaction === 'vread' || req.interaction === 'history-instance' ? '_history' : undefined, req.versionId]
    .filter((s): s is string => s !== undefined)
    .map(encodeURIComponent)
    .join('/');
  const url = new URL(`${base}/${path}`);
  for (const [k, v] of req.query) url.searchParams.append(k, v);
  return url;
}

/**
 * The EHR's response headers the proxy passes on to the browser: validators (`ETag`,
 * `Last-Modified`) for If-Match, `Retry-After` so sync waits as long as asked, and `Date` so a
 * cursor taken from it is the EHR's time (a Housecall clock off by minutes would skip changes).
 */
export function forwardedHeaders(upstream: UpstreamResponse): Record<string, string | null> {
  return { etag: upstream.etag, 'last-modified': upstream.lastModified, 'retry-after': upstream.retryAfter, date: upstream.date };
}

const METHOD = { read: 'GET', vread: 'GET', search: 'GET', 'history-instance': 'GET', create: 'POST', update: 'PUT', delete: 'DELETE' } as const;

/**
 * Step four of the pipeline: one request to the EHR with the launch's token, a time limit and
 * a size cap. Conditional headers pass through; nothing else from the browser does. The EHR is
 * reached over Node's HTTP client on kept-alive sockets (lib/fhir/ehr-transport.ts); a test may
 * hand in a `fetch` to script it.
 */
export async function forwardToEhr(
  req: ParsedFhirRequest,
  ctx: { fhirBase: string; accessToken: string; body?: string; ifMatch?: string | null; ifNoneExist?: string | null },
  fetchImpl?: typeof fetch,
): Promise<UpstreamResponse> {
  const headers: Record<string, string> = { accept: 'application/fhir+json', authorization: `Bearer ${ctx.accessToken}` };
  if (ctx.body !== undefined) headers['content-type'] = 'application/fhir+json';
  if (ctx.ifMatch) headers['if-match'] = ctx.ifMatch;
  if (ctx.ifNoneExist) headers['if-none-exist'] = ctx.ifNoneExist;
  const transport = fetchImpl ? fetchTransport(fetchImpl) : nodeTransport;
  const res = await transport(upstreamUrl(ctx.fhirBase, req), { method: METHOD[req.interaction], headers, body: ctx.body, timeoutMs: UPSTREAM_TIMEOUT_MS, maxBytes: MAX_RESPONSE_BYTES });
  let body: unknown = null;
  if (res.text.length > 0) {
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new ProxyError('upstream-error', 'response was not JSON');
    }
  }
  return { status: res.status, body, etag: res.header('etag'), lastModified: res.header('last-modified'), location: res.header('location'), retryAfter: res.header('retry-after'), date: res.header('date') };
}
