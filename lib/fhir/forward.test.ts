import { describe, expect, it } from 'vitest';
import { forwardedHeaders, forwardToEhr } from './forward';
import { fhirResponse } from './respond';
import { parseFhirRequest } from './parse-request';

const put = parseFhirRequest('PUT', ['Patient', 'pat-011'], new URLSearchParams());
const authorized = put;

function answering(status: number, headers: Record<string, string>): typeof fetch {
  return async () => new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }), { status, headers: { 'content-type': 'application/fhir+json', ...headers } });
}

describe('forwardToEhr', () => {
  it('passes a throttled answer’s Retry-After on, so the browser’s sync waits as long as the EHR asked', async () => {
    const upstream = await forwardToEhr(authorized, { fhirBase: 'https://ehr.example/fhir', accessToken: 't', body: '{}' }, answering(429, { 'retry-after': '5' }));
    expect(upstream.status).toBe(429);
    expect(upstream.retryAfter).toBe('5');
  });

  it('reports no Retry-After when the EHR sent none', async () => {
    const upstream = await forwardToEhr(authorized, { fhirBase: 'https://ehr.example/fhir', accessToken: 't', body: '{}' }, answering(503, {}));
    expect(upstream.retryAfter).toBeNull();
  });
});

describe('forwardedHeaders', () => {
  const read = parseFhirRequest('GET', ['Observation'], new URLSearchParams('patient=pat-011'));

  it('passes the EHR’s Date on, so a cursor taken from it is the EHR’s clock and not the proxy’s', async () => {
    const ehrDate = 'Tue, 01 Jan 2030 08:00:00 GMT';
    const upstream = await forwardToEhr(read, { fhirBase: 'https://ehr.example/fhir', accessToken: 't' }, answering(200, { date: ehrDate, etag: 'W/"3"' }));
    const headers = forwardedHeaders(upstream);
    expect(headers.date).toBe(ehrDate);
    expect(headers.etag).toBe('W/"3"');
    const response = fhirResponse(200, { resourceType: 'Bundle' }, headers);
    expect(response.headers.get('date')).toBe(ehrDate);
  });

  it('sets no Date of its own when the EHR sent none', async () => {
    const headers = forwardedHeaders(await forwardToEhr(read, { fhirBase: 'https://ehr.example/fhir', accessToken: 't' }, async () => new Response('{}', { status: 200 })));
    expect(headers.date).toBeNull();
  });
});
