import { describe, expect, it } from 'vitest';
import { createProxyTransport } from './transport';

function fakeFetch(status = 200, body = '{"resourceType":"Bundle"}', headers: Record<string, string> = { 'Content-Type': 'application/fhir+json', ETag: 'W/"3"' }) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body || null, { status, headers });
  }) as unknown as typeof fetch;
  return { calls, fn };
}

describe('createProxyTransport', () => {
  it('sends relative FHIR paths to this launch’s proxy, same-origin, uncached, JSON both ways', async () => {
    const f = fakeFetch();
    const t = createProxyTransport({ launchId: 'L1', origin: 'https://app.test', fetch: f.fn });
    const r = await t({ method: 'PUT', url: 'Patient/p1', headers: { 'if-match': 'W/"2"' }, body: { resourceType: 'Patient', id: 'p1' } });
    expect(f.calls[0]!.url).toBe('https://app.test/api/l/L1/fhir/Patient/p1');
    expect(f.calls[0]!.init).toMatchObject({ method: 'PUT', credentials: 'same-origin', cache: 'no-store', body: '{"resourceType":"Patient","id":"p1"}' });
    expect(f.calls[0]!.init.headers).toMatchObject({ accept: 'application/fhir+json', 'if-match': 'W/"2"' });
    expect(r).toEqual({ status: 200, headers: { 'content-type': 'application/fhir+json', etag: 'W/"3"' }, body: { resourceType: 'Bundle' } });
  });

  it('follows paging links under this launch only', async () => {
    const f = fakeFetch();
    const t = createProxyTransport({ launchId: 'L1', origin: 'https://app.test', fetch: f.fn });
    await t({ method: 'GET', url: 'https://app.test/api/l/L1/fhir/Observation?_offset=50' });
    expect(f.calls).toHaveLength(1);
    for (const url of ['https://evil.test/api/l/L1/fhir/Observation', 'https://app.test/api/l/L2/fhir/Observation', '/api/l/L1/fhirx/Patient', 'https://ehr.example/fhir/Patient']) {
      const r = await t({ method: 'GET', url });
      expect(r.status).toBe(400);
    }
    expect(f.calls).toHaveLength(1);
  });

  it('answers an empty body as undefined and rejects when no response comes', async () => {
    const f = fakeFetch(204, '', {});
    const t = createProxyTransport({ launchId: 'L1', origin: 'https://app.test', fetch: f.fn });
    expect(await t({ method: 'DELETE', url: 'Observation/o1' })).toEqual({ status: 204, headers: {}, body: undefined });
    const down = createProxyTransport({ launchId: 'L1', origin: 'https://app.test', fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch });
    await expect(down({ method: 'GET', url: 'metadata' })).rejects.toThrow('Failed to fetch');
  });
});
