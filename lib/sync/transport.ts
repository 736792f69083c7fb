/**
 * The one place sync calls `fetch`: Housecall's same-origin FHIR proxy for one launch,
 * `/api/l/{launchId}/fhir/…`, authenticated by the session cookie. Paging links the proxy
 * returns are followed only if they point back under this launch's proxy path on this origin;
 * anything else is refused without a request (a Bundle is untrusted input).
 */
import type { Transport, TransportResponse } from './ports';

/** Where the proxy is and how to reach it. */
export interface ProxyTransportOptions {
  launchId: string;
  /** The app's origin, e.g. `https://housecall.example` (location.origin in a browser). */
  origin: string;
  fetch?: typeof fetch;
  /** Per request; the proxy has its own upstream timeout. Default 30 s. */
  timeoutMs?: number;
}

function refused(): TransportResponse {
  return {
    status: 400,
    headers: {},
    body: {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'invalid', details: { coding: [{ system: 'urn:housecall:outcome', code: 'invalid-path' }] } }],
    },
  };
}

/** The browser Transport to this launch's proxy. */
export function createProxyTransport(options: ProxyTransportOptions): Transport {
  const base = `/api/l/${encodeURIComponent(options.launchId)}/fhir/`;
  const doFetch = options.fetch ?? fetch;
  return async (request) => {
    const target = new URL(/^[a-z][a-z0-9+.-]*:|^\//i.test(request.url) ? request.url : base + request.url, options.origin);
    if (target.origin !== new URL(options.origin).origin || !target.pathname.startsWith(base) || target.pathname.includes('/../')) return refused();
    const response = await doFetch(target.toString(), {
      method: request.method,
      headers: { accept: 'application/fhir+json', ...request.headers },
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      credentials: 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers, body };
  };
}
