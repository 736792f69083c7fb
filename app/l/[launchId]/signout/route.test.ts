/**
 * Sign-out (consent review item 50): the launch ends and the response asks the browser to drop
 * its HTTP cache for the origin, never storage or cookies, which other launches in the same
 * browser still use.
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

async function launch(sid: string) {
  return h.store.launches.createLaunch({
    id: `so-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: sid, issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser: 'Practitioner/prac-001', scope: 'openid patient/Observation.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
}

describe('sign-out', () => {
  it('ends only this launch and sends Clear-Site-Data "cache", not storage or cookies', async () => {
    const session = await newBrowserSession();
    const mine = await launch(session.sid);
    const other = await launch(session.sid);
    const res = await POST(new Request(`http://localhost:3000/l/${mine.id}/signout`, { method: 'POST', headers: { cookie: session.setCookie.split(';')[0]! } }), { params: Promise.resolve({ launchId: mine.id }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('clear-site-data')).toBe('"cache"');
    expect(res.headers.get('location')).toMatch(/^\/signed-out\?wipe=/);
    expect((await h.store.launches.getLaunch(mine.id))?.endReason).toBe('signed-out');
    expect((await h.store.launches.getLaunch(other.id))?.endReason ?? null).toBeNull();
  });
});
