/**
 * The FHIR proxy route end to end against the scripted authorization and FHIR server: what a
 * 401 from the EHR does to the launch, and granular (v2 `?param`) scopes enforced before a
 * request leaves. The store and the issuer registry are the test's own.
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

const { GET, POST } = await import('./route');

beforeAll(() => {
  current.config = testConfig(h.as.fhirBase);
});
beforeEach(() => {
  current.store = h.store;
});

async function launchWith(scope: string, expiresInMs = 10 * 60_000) {
  const session = await newBrowserSession();
  const launch = await h.store.launches.createLaunch({
    id: `route-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: session.sid, issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser: 'Practitioner/prac-001', scope, needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + expiresInMs,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
  const cookie = session.setCookie.split(';')[0]!;
  const get = async (path: string) => {
    const url = new URL(`http://localhost:3000/api/l/${launch.id}/fhir/${path}`);
    const res = await GET(new Request(url, { headers: { cookie } }), { params: Promise.resolve({ launchId: launch.id, path: url.pathname.split('/').slice(5) }) });
    return { status: res.status, body: await res.json() as Record<string, any> };
  };
  return { launch, get };
}

const codeOf = (body: Record<string, any>) => body.issue?.[0]?.details?.coding?.[0]?.code;
const fhirRequests = () => h.as.requests.filter((r) => r.path.startsWith('/fhir/') && !r.path.includes('.well-known'));
const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };

describe('a 401 from the EHR', () => {
  it('gets one refresh and one retry; a second 401 ends the launch (launch-ended), and the next request neither refreshes nor reaches the EHR', async () => {
    let n = 0;
    h.as.onToken(() => ({ body: { access_token: `AT-${++n}`, token_type: 'bearer', expires_in: 3600, refresh_token: `RT-${n}` } }));
    h.as.onFhir(() => ({ status: 401, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] } }));
    const { launch, get } = await launchWith('openid patient/Observation.rs');
    const first = await get('Observation?code=718-7');
    expect(first.status).toBe(401);
    expect(codeOf(first.body)).toBe('launch-ended');
    expect(fhirRequests().map((r) => r.authorization)).toEqual(['Bearer AT-0', 'Bearer AT-1']);
    expect(await h.store.launches.getLaunch(launch.id)).toMatchObject({ endReason: 'token-rejected' });

    const again = await get('Observation?code=718-7');
    expect(codeOf(again.body)).toBe('launch-ended');
    expect(h.as.tokenRequests()).toHaveLength(1);
    expect(fhirRequests()).toHaveLength(2);
  });

  it('keeps the launch when the retry with the refreshed token succeeds', async () => {
    h.as.onToken(() => ({ body: { access_token: 'AT-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'RT-1' } }));
    h.as.onFhir((req) => (req.bearer === 'AT-0' ? { status: 401, body: {} } : { body: bundle }));
    const { launch, get } = await launchWith('openid patient/Observation.rs');
    expect((await get('Observation?code=718-7')).status).toBe(200);
    expect((await h.store.launches.getLaunch(launch.id))?.endedAt).toBeNull();
  });
});

describe('a grant narrowed by category (patient/Observation.rs?category=laboratory)', () => {
  const narrowed = 'openid patient/Observation.rs?category=laboratory patient/Condition.rs';

  it('refuses a vital-signs search before it leaves (403 scope-not-granted)', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { get } = await launchWith(narrowed);
    const res = await get('Observation?category=vital-signs');
    expect(res.status).toBe(403);
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(codeOf(res.body)).toBe('scope-not-granted');
    expect(fhirRequests()).toHaveLength(0);
  });

  it('lets a laboratory search through, and pins the category on a search that names none', async () => {
    h.as.onFhir(() => ({ body: bundle }));
    const { get } = await launchWith(narrowed);
    expect((await get('Observation?category=laboratory&code=718-7')).status).toBe(200);
    expect((await get('Observation?code=718-7')).status).toBe(200);
    const sent = fhirRequests().map((r) => r.query);
    expect(sent.map((q) => q.get('category'))).toEqual(['laboratory', 'laboratory']);
    expect(sent.map((q) => q.get('patient'))).toEqual(['Patient/pat-001', 'Patient/pat-001']);
  });

  it('puts a narrower scope returned on refresh in force from the next request', async () => {
    h.as.onToken(() => ({ body: { access_token: 'AT-1', token_type: 'bearer', expires_in: 3600, refresh_token: 'RT-1', scope: narrowed } }));
    h.as.onFhir(() => ({ body: bundle }));
    const { get } = await launchWith('openid patient/Observation.rs patient/Condition.rs', 1_000); // due for refresh
    expect((await get('Condition')).status).toBe(200); // this request refreshes
    expect(codeOf((await get('Observation?category=vital-signs')).body)).toBe('scope-not-granted');
  });
});

describe('what Next.js’s request proxy would have applied (the route is left out of its matcher, issue 16)', () => {
  const call = async (handler: typeof GET, launchId: string, path: string, init: RequestInit) => {
    const url = new URL(`http://localhost:3000/api/l/${launchId}/fhir/${path}`);
    return handler(new Request(url, init), { params: Promise.resolve({ launchId, path: url.pathname.split('/').slice(5) }) });
  };

  it('answers with the security headers: CSP framed by the issuer’s EHR origins only, nosniff, no referrer, no caching', async () => {
    current.config = testConfig(h.as.fhirBase, { ehrOrigins: ['https://ehr.example.org'] });
    try {
      h.as.onFhir(() => ({ body: bundle }));
      const { launch, get } = await launchWith('openid patient/Observation.rs');
      const session = (await h.store.launches.getLaunch(launch.id))!;
      expect(session.endedAt).toBeNull();
      for (const res of [await call(GET, launch.id, 'Observation', { headers: { cookie: 'none=1' } }), await call(GET, launch.id, 'Observation', {})]) {
        expect(res.status).toBe(401);
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://ehr.example.org");
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('permissions-policy')).toBe('camera=(), microphone=(), geolocation=()');
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      expect((await get('Observation')).status).toBe(200);
    } finally {
      current.config = testConfig(h.as.fhirBase);
    }
  });

  it('refuses a cross-site write (403 cross-origin-write) before the launch is read, the EHR asked or anything audited', async () => {
    h.as.onFhir(() => ({ status: 201, body: { resourceType: 'Observation', id: 'o1' } }));
    const { launch } = await launchWith('openid patient/Observation.cruds');
    const session = await newBrowserSession();
    const body = JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/pat-001' } });
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }] as Record<string, string>[]) {
      const res = await call(POST, launch.id, 'Observation', { method: 'POST', headers: { ...headers, cookie: session.setCookie.split(';')[0]!, 'content-type': 'application/fhir+json' }, body });
      expect(res.status).toBe(403);
      expect(codeOf(await res.json() as Record<string, any>)).toBe('cross-origin-write');
    }
    expect(fhirRequests()).toHaveLength(0);
    expect(await h.store.audit.listForLaunch(launch.id)).toEqual([]);
    // A same-origin write passes this check (and is then judged as any write is).
    const own = await call(POST, launch.id, 'Observation', { method: 'POST', headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/fhir+json' }, body });
    expect(codeOf(await own.json() as Record<string, any>)).toBe('not-authenticated');
    expect(await h.store.audit.listForLaunch(launch.id)).toHaveLength(1);
  });
});
