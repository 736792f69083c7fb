import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { operationOutcome } from '@/lib/fhir/outcome';
import type { ProxyTarget } from '@/lib/fhir/proxy-pipeline';

/**
 * The FHIR proxy's direct path: Housecall's Node server (server.ts) hands a browser's FHIR request
 * straight to the proxy (lib/fhir/proxy-route.ts) instead of through Next.js, whose machinery
 * around a route (routing, a web Request built from the request and a Response copied back,
 * with its own work per request) cost more than the proxy's own work (issue 16, README
 * Benchmarks). What the route does is unchanged: the same function answers, with the same
 * same-origin check, security headers, pipeline and audit; the store, its keys, the refresh
 * single-flight and the metrics are one per process (lib/process-singleton.ts), shared with the
 * routes Next.js serves. Anything unusual is left to Next.js, which answers it as before.
 */

const DIRECT_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
const FHIR_PATH = /^\/api\/l\/([^/]+)\/fhir\/(.+)$/;
/** Bodies smaller than this go as they are (as Next.js's compression leaves them). */
const GZIP_FROM_BYTES = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript)\b)/i;
const gzipAsync = promisify(gzip);

/**
 * The launch and FHIR path a request names, when the direct path takes it: GET, POST, PUT or
 * DELETE below `/api/l/{launchId}/fhir/`, every segment non-empty, no dot segment, each one
 * decodable. Anything else (HEAD, a trailing or doubled slash, a malformed escape, an
 * absolute-form target) is left to Next.js, which normalises or refuses it as it always has.
 */
export function directFhirTarget(method: string | undefined, rawUrl: string | undefined): ProxyTarget | null {
  if (!method || !DIRECT_METHODS.has(method) || !rawUrl || rawUrl.includes('\\')) return null;
  const q = rawUrl.indexOf('?');
  const match = FHIR_PATH.exec(q < 0 ? rawUrl : rawUrl.slice(0, q));
  if (!match) return null;
  try {
    const launchId = decodeURIComponent(match[1]!);
    const path = match[2]!.split('/').map(decodeURIComponent);
    if ([launchId, ...path].some((s) => s === '' || s === '.' || s === '..' || s.includes('#'))) return null;
    return { launchId, path };
  } catch {
    return null;
  }
}

/** A web Request for the proxy from a Node request: its method, headers, query and (for writes) its body as a stream. */
export function webRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (hasBody) {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(new URL(req.url ?? '/', base), init);
}

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (!q || Number(q.slice(2)) > 0);
  });
}

/**
 * Writes the proxy's Response to the Node response: status, headers (each Set-Cookie on its own
 * line), and the body, gzipped when the browser accepts it, the type is text or JSON and the
 * body is 1 KB or more (what Next.js's compression did for this route). The proxy's answers are
 * whole in memory already (it reads, filters and audits them before releasing them), so the
 * body is written in one piece with its length.
 */
export async function writeWebResponse(res: ServerResponse, response: Response, acceptEncoding: string | undefined): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) if (name !== 'set-cookie' && name !== 'content-length') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  let body = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  if (COMPRESSIBLE.test(type) && !response.headers.has('content-encoding')) {
    const vary = res.getHeader('vary');
    res.setHeader('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding');
    if (body.length >= GZIP_FROM_BYTES && acceptsGzip(acceptEncoding)) {
      body = await gzipAsync(body);
      res.setHeader('content-encoding', 'gzip');
    }
  }
  res.setHeader('content-length', body.length);
  res.end(body);
}

/** What answers when the direct path itself fails before a response could be written. */
const INTERNAL_ERROR = JSON.stringify(operationOutcome('internal-error'));

export interface FhirDirectDeps {
  /** The proxy itself: lib/fhir/proxy-route.ts's serveFhirProxy. */
  serve(request: Request, target: ProxyTarget): Promise<Response>;
  /** The origin requests are read against (only their path and query are used). */
  base: string;
  /** Called with the error when a request fails outside the proxy's own handling (no PHI: the error's name only is logged). */
  onError(error: unknown): void;
}

/**
 * The server's request listener for the FHIR proxy: true when it took the request (and will
 * answer it), false to leave it to Next.js.
 */
export function fhirDirect(deps: FhirDirectDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const target = directFhirTarget(req.method, req.url);
    if (!target) return false;
    void (async () => {
      try {
        const response = await deps.serve(webRequest(req, deps.base), target);
        await writeWebResponse(res, response, req.headers['accept-encoding']);
      } catch (error) {
        deps.onError(error);
        if (res.headersSent) {
          res.destroy();
        } else {
          res.writeHead(500, { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
          res.end(INTERNAL_ERROR);
        }
      }
    })();
    return true;
  };
}
