/** The node:http edge: CORS, request bodies, JSON responses. No framework. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FhirError } from './outcome';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
// A message with 5 MB of attachments inline is about 6.7 MB of base64.
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Any origin may call (a browser fhirclient page on the sandbox's own origin, or the app); no cookies are used. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, If-Match, If-None-Exist, If-None-Match, Prefer, X-Request-Id',
  'Access-Control-Expose-Headers': 'ETag, Last-Modified, Location, Content-Location, WWW-Authenticate',
  'Access-Control-Max-Age': '600',
};

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(FhirError.of(413, 'too-costly', `Request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...CORS_HEADERS,
    'Cache-Control': 'no-store',
    ...(body === undefined ? {} : { 'Content-Type': FHIR_JSON, 'Content-Length': String(Buffer.byteLength(text)) }),
    ...headers,
  });
  res.end(text);
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** A single-lane queue: writes run one at a time so conditional creates cannot race. */
export function createSerializer(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
