import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { outcomeCode } from '@/lib/fhir/outcome-code';
import type { ProxyTarget } from '@/lib/fhir/proxy-pipeline';
import { directFhirTarget, fhirDirect } from './fhir-direct';

describe('directFhirTarget', () => {
  it.each([
    ['GET', '/api/l/L1/fhir/Condition?patient=p1&_count=100', { launchId: 'L1', path: ['Condition'] }],
    ['GET', '/api/l/L1/fhir/Patient/pat-001', { launchId: 'L1', path: ['Patient', 'pat-001'] }],
    ['PUT', '/api/l/L1/fhir/Patient/pat%2D001', { launchId: 'L1', path: ['Patient', 'pat-001'] }],
    ['POST', '/api/l/L1/fhir/Communication', { launchId: 'L1', path: ['Communication'] }],
    ['DELETE', '/api/l/L1/fhir/Observation/o1', { launchId: 'L1', path: ['Observation', 'o1'] }],
    // A slash escaped inside a segment stays inside it, as Next.js's catch-all decodes it.
    ['GET', '/api/l/L1/fhir/Binary/a%2Fb', { launchId: 'L1', path: ['Binary', 'a/b'] }],
  ])('%s %s is taken', (method, url, target) => {
    expect(directFhirTarget(method, url)).toEqual(target);
  });

  it.each([
    ['HEAD', '/api/l/L1/fhir/Condition'],
    ['PATCH', '/api/l/L1/fhir/Patient/p1'],
    ['OPTIONS', '/api/l/L1/fhir/Condition'],
    ['GET', '/api/l/L1/fhir'],
    ['GET', '/api/l/L1/fhir/'],
    ['GET', '/api/l/L1/fhir/Patient/'],
    ['GET', '/api/l/L1/fhir//Patient'],
    ['GET', '/api/l/L1/fhir/Patient/../Condition'],
    ['GET', '/api/l/L1/fhir/Patient/%2e%2e'],
    ['GET', '/api/l/%2E/fhir/Patient'],
    ['GET', '/api/l/L1/fhir/Patient/%E0%A4%A'],
    ['GET', '/api/l/L1/fhir/Patient\\p1'],
    ['GET', 'http://localhost:3000/api/l/L1/fhir/Patient/p1'],
    ['GET', '/api/l/L1/consents'],
    ['GET', '/l/L1/chart'],
    [undefined, '/api/l/L1/fhir/Patient/p1'],
  ])('%s %s is left to Next.js', (method, url) => {
    expect(directFhirTarget(method, url)).toBeNull();
  });
});

describe('fhirDirect, in a Node server', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function start(serve: (request: Request, target: ProxyTarget) => Promise<Response>) {
    const errors: unknown[] = [];
    const direct = fhirDirect({ serve, base: 'http://localhost:3000', onError: (e) => errors.push(e) });
    server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
      if (!direct(req, res)) res.writeHead(404, { 'x-answered-by': 'next' }).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server!.address() as AddressInfo).port;
    return { errors, send: (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => raw(port, path, init) };
  }

  it('hands the proxy the method, target, query, cookies and body, and writes its answer back', async () => {
    const { send } = await start(async (request, target) => {
      const echo = { method: request.method, target, query: new URL(request.url).searchParams.get('code'), cookie: request.headers.get('cookie'), body: request.body ? await request.text() : null };
      const headers = new Headers({ 'content-type': 'application/fhir+json; charset=utf-8', 'x-request-id': 'r1' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; Path=/');
      return new Response(JSON.stringify(echo), { status: 201, headers });
    });
    const res = await send('/api/l/L1/fhir/Communication?code=x%20y', { method: 'POST', headers: { cookie: 'hc=abc; other=1' }, body: '{"resourceType":"Communication"}' });
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('r1');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    expect(JSON.parse(res.body.toString())).toEqual({ method: 'POST', target: { launchId: 'L1', path: ['Communication'] }, query: 'x y', cookie: 'hc=abc; other=1', body: '{"resourceType":"Communication"}' });
  });

  it('gzips a JSON answer of 1 KB or more when the browser accepts it, and says it varies by encoding', async () => {
    const bundle = JSON.stringify({ resourceType: 'Bundle', entry: Array.from({ length: 50 }, (_, i) => ({ resource: { resourceType: 'Condition', id: `c${i}` } })) });
    const { send } = await start(async () => new Response(bundle, { headers: { 'content-type': 'application/fhir+json; charset=utf-8' } }));
    const zipped = await send('/api/l/L1/fhir/Condition', { headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.body).toString()).toBe(bundle);
    const refused = await send('/api/l/L1/fhir/Condition', { headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toBe(bundle);
  });

  it('sends a small answer and a binary one as they are', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4000, 1)]);
    const { send } = await start(async (_request, target) => target.path[0] === 'Binary'
      ? new Response(pdf, { headers: { 'content-type': 'application/pdf' } })
      : Response.json({ resourceType: 'Patient', id: 'p1' }));
    const small = await send('/api/l/L1/fhir/Patient/p1', { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ resourceType: 'Patient', id: 'p1' });
    const binary = await send('/api/l/L1/fhir/Binary/b1', { headers: { 'accept-encoding': 'gzip' } });
    expect(binary.headers['content-encoding']).toBeUndefined();
    expect(binary.headers.vary).toBeUndefined();
    expect(binary.body.equals(pdf)).toBe(true);
  });

  it('leaves every other request to Next.js', async () => {
    let calls = 0;
    const { send } = await start(async () => { calls += 1; return new Response('{}'); });
    expect((await send('/api/l/L1/fhir/Patient/')).headers['x-answered-by']).toBe('next');
    expect((await send('/l/L1/chart')).headers['x-answered-by']).toBe('next');
    expect((await send('/api/l/L1/fhir/Condition', { method: 'HEAD' })).headers['x-answered-by']).toBe('next');
    expect(calls).toBe(0);
  });

  it('answers a failure around the proxy with an OperationOutcome and a stable code, and reports it', async () => {
    const { send, errors } = await start(async () => { throw new TypeError('boom'); });
    const res = await send('/api/l/L1/fhir/Condition');
    expect(res.status).toBe(500);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(outcomeCode(JSON.parse(res.body.toString()))).toBe('internal-error');
    expect(errors).toHaveLength(1);
  });
});

/** One request over Node's client, so nothing decodes the body or merges headers on the way. */
function raw(port: number, path: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}
