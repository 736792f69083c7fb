import { operationOutcome, ProxyError } from './outcome';

const BASE_HEADERS = { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** The last step: JSON with no caching. Errors are always OperationOutcomes with a stable code. */
export function fhirResponse(status: number, body: unknown, extra: Record<string, string | null> = {}): Response {
  const headers = new Headers(BASE_HEADERS);
  for (const [k, v] of Object.entries(extra)) if (v) headers.set(k, v);
  return new Response(body === null || status === 204 ? null : JSON.stringify(body), { status, headers });
}

export function outcomeResponse(e: unknown): Response {
  const err = e instanceof ProxyError ? e : new ProxyError('upstream-error');
  return fhirResponse(err.status, operationOutcome(err.code, e instanceof ProxyError ? err.diagnostics : undefined), err.code === 'not-authenticated' || err.code === 'launch-ended' || err.code === 'launch-withdrawn' ? { 'www-authenticate': 'Bearer' } : {});
}
