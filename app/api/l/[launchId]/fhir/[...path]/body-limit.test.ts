/**
 * A write body over 1 MB is answered 413 `body-too-large` (consent review item 68): refused on
 * its Content-Length before it is read, or cut off while streaming, and nothing reaches the EHR.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '@/lib/store';
import type { SmartConfig } from '@/lib/smart/config';
import { newBrowserSession } from '@/lib/smart/session';
import { testConfig, useTestAuthorizationServer } from '@/lib/smart/test-harness';

const h = useTestAuthorizationServer();
const current: { store?: Store; config?: SmartConfig } = {};

vi.mock('@/lib/store', async (original) => ({ ...(await original<typeof import('@/lib/store')>()), getStore: async () => current.store! }));
vi.mock('@/lib/smart', async (original) => ({ ...(await original<typeof import('@/lib/smart')>()), smartConfig: () => current.config! }));

const { POST } = await import('./route');

beforeAll(() => {
  current.config = testConfig(h.as.fhirBase);
});
beforeEach(() => {
  current.store = h.store;
});

async function post(body: BodyInit, headers: Record<string, string> = {}) {
  const session = await newBrowserSession();
  const launch = await h.store.launches.createLaunch({
    id: `body-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: session.sid, issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser: 'Practitioner/prac-001', scope: 'openid patient/Observation.cruds', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
  const url = `http://localhost:3000/api/l/${launch.id}/fhir/Observation`;
  const res = await POST(
    new Request(url, { method: 'POST', body, duplex: 'half', headers: { cookie: session.setCookie.split(';')[0]!, 'content-type': 'application/fhir+json', ...headers } } as RequestInit),
    { params: Promise.resolve({ launchId: launch.id, path: ['Observation'] }) },
  );
  return { status: res.status, body: (await res.json()) as { issue?: { details?: { coding?: { code?: string }[] } }[] } };
}

const fhirRequests = () => h.as.requests.filter((r) => r.path.startsWith('/fhir/') && !r.path.includes('.well-known'));

describe('the FHIR proxy body limit', () => {
  it('answers 413 body-too-large for a declared Content-Length over 1 MB', async () => {
    const big = JSON.stringify({ resourceType: 'Observation', status: 'final', subject: { reference: 'Patient/pat-001' }, note: [{ text: 'x'.repeat(1024 * 1024) }] });
    const res = await post(big, { 'content-length': String(Buffer.byteLength(big)) });
    expect(res.status).toBe(413);
    expect(res.body.issue?.[0]?.details?.coding?.[0]?.code).toBe('body-too-large');
    expect(fhirRequests()).toHaveLength(0);
  });

  it('answers 413 body-too-large for a streamed body that passes 1 MB', async () => {
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8 * 1024 * 1024) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const res = await post(stream);
    expect(res.status).toBe(413);
    expect(res.body.issue?.[0]?.details?.coding?.[0]?.code).toBe('body-too-large');
    expect(sent).toBeLessThan(2 * 1024 * 1024);
    expect(fhirRequests()).toHaveLength(0);
  });
});
