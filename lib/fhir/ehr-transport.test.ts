import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeTransport, type EhrHttpRequest } from './ehr-transport';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
let handler: Handler = (_req, _body, res) => res.end('{}');
const seen: { method?: string; headers: http.IncomingHttpHeaders; body: string; port: number }[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push({ method: req.method, headers: req.headers, body, port: req.socket.remotePort ?? 0 });
    handler(req, body, res);
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const get = (over: Partial<EhrHttpRequest> = {}): EhrHttpRequest => ({ method: 'GET', headers: { accept: 'application/fhir+json', authorization: 'Bearer T' }, timeoutMs: 2_000, maxBytes: 1_000, ...over });
const codeOf = (p: Promise<unknown>) => p.then(() => 'answered', (e: { code?: string }) => e.code);

describe('nodeTransport (issue 16: the proxy reaches the EHR over kept-alive sockets)', () => {
  it('sends only the headers it is given (and the transport’s own), and returns status, headers and body', async () => {
    seen.length = 0;
    handler = (_req, body, res) => {
      res.writeHead(201, { 'content-type': 'application/fhir+json', etag: 'W/"2"', 'retry-after': '7' });
      res.end(JSON.stringify({ echoed: body }));
    };
    const answer = await nodeTransport(new URL(`${base}/fhir/Patient/p1`), get({ method: 'PUT', body: '{"a":"é"}', headers: { authorization: 'Bearer T', 'content-type': 'application/fhir+json' } }));
    expect(answer.status).toBe(201);
    expect(answer.header('ETag')).toBe('W/"2"');
    expect(answer.header('retry-after')).toBe('7');
    expect(answer.header('location')).toBeNull();
    expect(JSON.parse(answer.text)).toEqual({ echoed: '{"a":"é"}' });
    expect(seen[0]!.method).toBe('PUT');
    expect(Object.keys(seen[0]!.headers).sort()).toEqual(['authorization', 'connection', 'content-length', 'content-type', 'host']);
    expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"é"}')));
  });

  it('keeps the connection alive: one socket for requests one after another', async () => {
    seen.length = 0;
    handler = (_req, _body, res) => res.end('{}');
    for (let i = 0; i < 3; i++) await nodeTransport(new URL(`${base}/fhir/Patient/p1`), get());
    expect(new Set(seen.map((s) => s.port)).size).toBe(1);
  });

  it('sends a GET again on a new socket when the EHR drops the kept-alive one as the request arrives', async () => {
    seen.length = 0;
    handler = (_req, _body, res) => res.end('{}');
    await nodeTransport(new URL(`${base}/fhir/Patient/p1`), get());
    // The EHR closes its idle connection just as the next request comes in on it.
    handler = (req, _body, res) => (seen.length === 2 ? req.socket.destroy() : res.end('{}'));
    expect((await nodeTransport(new URL(`${base}/fhir/Patient/p1`), get())).status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(seen[1]!.port).toBe(seen[0]!.port);
    expect(seen[2]!.port).not.toBe(seen[0]!.port);
    // A write is never sent twice: the EHR may have acted on it.
    await nodeTransport(new URL(`${base}/fhir/Patient/p1`), get());
    handler = (req, _body, res) => (seen.length === 5 ? req.socket.destroy() : res.end('{}'));
    expect(await codeOf(nodeTransport(new URL(`${base}/fhir/Patient/p1`), get({ method: 'PUT', body: '{}' })))).toBe('upstream-error');
    expect(seen).toHaveLength(5);
  });

  it('refuses a redirect (upstream-error): only the configured FHIR base is asked', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example/' });
      res.end();
    };
    expect(await codeOf(nodeTransport(new URL(`${base}/fhir/Patient/p1`), get()))).toBe('upstream-error');
  });

  it('refuses an answer past the cap, declared or streamed (response-too-large)', async () => {
    handler = (_req, _body, res) => res.end('x'.repeat(2_000));
    expect(await codeOf(nodeTransport(new URL(`${base}/fhir/a`), get()))).toBe('response-too-large');
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i++) res.write('y'.repeat(100));
      res.end();
    };
    expect(await codeOf(nodeTransport(new URL(`${base}/fhir/b`), get()))).toBe('response-too-large');
  });

  it('gives up after the time limit, a slow body included (upstream-timeout)', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200);
      res.write('{');
      setTimeout(() => res.end('}'), 500);
    };
    expect(await codeOf(nodeTransport(new URL(`${base}/fhir/slow`), get({ timeoutMs: 100 })))).toBe('upstream-timeout');
  });

  it('reports an EHR that cannot be reached as upstream-error', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await codeOf(nodeTransport(new URL(`http://127.0.0.1:${port}/fhir/x`), get()))).toBe('upstream-error');
  });
});
