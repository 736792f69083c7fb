import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { processSingleton } from '../process-singleton';
import { ProxyError } from './outcome';
import { readTextCapped } from './read-body';

/** One request to the EHR as forwardToEhr makes it. */
export interface EhrHttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Larger answers are refused (`response-too-large`) without being read whole. */
  maxBytes: number;
}

/** The EHR's answer: status, one header at a time, and the body as text. */
export interface EhrHttpAnswer {
  status: number;
  header(name: string): string | null;
  text: string;
}

/** How forwardToEhr reaches the EHR; throws ProxyError (`upstream-timeout`, `upstream-error`, `response-too-large`). */
export type EhrTransport = (url: URL, request: EhrHttpRequest) => Promise<EhrHttpAnswer>;

/** Redirects are refused, as `fetch(..., { redirect: 'error' })` would: only the configured FHIR base is ever asked. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Kept-alive connections to EHRs, shared by every request of the process. An idle socket is
 * closed after 4 s, before the usual 5 s a server keeps one open, so a request is rarely sent on
 * a socket the EHR is closing; when one is (ECONNRESET on a reused socket), a GET is sent once
 * more on a new one.
 */
const agents = processSingleton('ehr-agents', () => ({
  http: new http.Agent({ keepAlive: true, timeout: 4_000, scheduling: 'lifo' }),
  https: new https.Agent({ keepAlive: true, timeout: 4_000, scheduling: 'lifo' }),
}));

function once(url: URL, request: EhrHttpRequest): Promise<EhrHttpAnswer & { retry?: boolean }> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: ProxyError | 'retry') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (e === 'retry') resolve({ status: 0, header: () => null, text: '', retry: true });
      else reject(e);
    };
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const req = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http }, (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status)) return fail(new ProxyError('upstream-error'));
      const declared = res.headers['content-length'];
      if (declared !== undefined && Number(declared) > request.maxBytes) return fail(new ProxyError('response-too-large'));
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > request.maxBytes) return fail(new ProxyError('response-too-large'));
        chunks.push(chunk);
      });
      res.on('error', () => fail(new ProxyError('upstream-error')));
      res.on('aborted', () => fail(new ProxyError('upstream-error')));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const header = (name: string) => {
          const v = res.headers[name.toLowerCase()];
          return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
        };
        resolve({ status, header, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    // The limit covers the whole exchange, the answer's body included.
    const timer = setTimeout(() => fail(new ProxyError('upstream-timeout')), request.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => fail(req.reusedSocket && e.code === 'ECONNRESET' && request.method === 'GET' ? 'retry' : new ProxyError('upstream-error')));
    req.end(request.body);
  });
}

/**
 * Node's own HTTP client over kept-alive sockets: what the proxy uses. In the proxy's profile
 * (issue 16) `fetch` was the largest single cost of a proxied request; this client does the same
 * exchange for a fraction of it.
 */
export const nodeTransport: EhrTransport = async (url, request) => {
  const first = await once(url, request);
  return first.retry ? once(url, request) : first;
};

/** The same exchange over a `fetch` (tests hand one in to script the EHR). */
export function fetchTransport(fetchImpl: typeof fetch): EhrTransport {
  return async (url, request) => {
    let res: Response;
    try {
      res = await fetchImpl(url, { method: request.method, headers: request.headers, body: request.body, redirect: 'error', signal: AbortSignal.timeout(request.timeoutMs) });
    } catch (e) {
      throw new ProxyError((e as Error).name === 'TimeoutError' ? 'upstream-timeout' : 'upstream-error');
    }
    const text = await readTextCapped(res, request.maxBytes, 'response-too-large');
    return { status: res.status, header: (name) => res.headers.get(name), text };
  };
}
