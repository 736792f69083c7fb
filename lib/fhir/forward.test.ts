import { describe, expect, it } from 'vitest';
import { forwardToEhr } from './forward';
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
