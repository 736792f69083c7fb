/**
 * The launch and callback routes end to end against the scripted authorization server: the
 * launch route passes only `iss`, `launch` and `scopes` on (review weak test: it used to grep
 * the source), and the callback always lands on the fixed internal target (review item 19).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetServerEnvForTests } from '@/lib/env';
import { useTestAuthorizationServer } from '@/lib/smart/test-harness';
import { GET as launchRoute } from './route';
import { GET as redirectRoute } from '../redirect/route';

const h = useTestAuthorizationServer();

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-launch-route-'));
  const file = path.join(dir, 'smart-config.json');
  fs.writeFileSync(file, JSON.stringify({
    issuers: [{
      id: 'test', name: 'Test EHR', vendor: 'other', enabled: true, fhirBaseUrl: h.as.fhirBase, clientId: 'hc', allowInsecureHttp: true,
      clientAuth: { method: 'none' }, scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
    }],
  }));
  process.env.HOUSECALL_SMART_CONFIG = file;
  process.env.HOUSECALL_DB = ':memory:';
  process.env.HOUSECALL_URL = 'http://localhost:3000';
  resetServerEnvForTests();
});

async function launch(extra: Record<string, string>) {
  const qs = new URLSearchParams({ iss: h.as.fhirBase, launch: 'L1', ...extra });
  const res = await launchRoute(new Request(`http://localhost:3000/launch?${qs}`));
  expect(res.status).toBe(302);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { url: new URL(res.headers.get('location')!), cookie };
}

describe('launch and callback routes', () => {
  it('ignores fhirServiceUrl, clientId, patientId, aud, redirect_uri and scope in the launch URL', async () => {
    const { url } = await launch({
      fhirServiceUrl: 'https://evil.example/fhir', clientId: 'evil', client_id: 'evil', patientId: 'pat-999', aud: 'https://evil.example/fhir',
      redirect_uri: 'https://evil.example/cb', scope: 'user/*.*', state: 'attacker-state',
    });
    const p = url.searchParams;
    expect(url.origin).toBe(h.as.base);
    expect(p.get('client_id')).toBe('hc');
    expect(p.get('aud')).toBe(h.as.fhirBase);
    expect(p.get('redirect_uri')).toBe('http://localhost:3000/redirect');
    expect(p.get('scope')).toBe('openid fhirUser launch online_access patient/Observation.rs');
    expect(p.get('state')).not.toBe('attacker-state');
    expect(url.toString()).not.toMatch(/evil|pat-999/);
  });

  it('sends the browser to the fixed internal page whatever returnTo, redirect or next the callback carries', async () => {
    const { url, cookie } = await launch({});
    const idToken = await h.as.idToken({ nonce: url.searchParams.get('nonce')!, fhirUser: 'Practitioner/prac-001' });
    h.as.onToken(() => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: idToken, patient: 'pat-001' } }));
    const cb = new URLSearchParams({
      code: 'c', state: url.searchParams.get('state')!, returnTo: 'https://evil.example/', redirect: '//evil.example', next: '/\\evil.example', redirect_uri: 'https://evil.example/',
    });
    const res = await redirectRoute(new Request(`http://localhost:3000/redirect?${cb}`, { headers: { cookie } }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/l\/[A-Za-z0-9_-]+\/chart$/);
  });

  it('answers a callback without a code 400 with the missing_code page', async () => {
    const { url, cookie } = await launch({});
    const res = await redirectRoute(new Request(`http://localhost:3000/redirect?state=${url.searchParams.get('state')}`, { headers: { cookie } }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('sent you back without a sign-in code');
    expect(h.as.tokenRequests()).toHaveLength(0);
  });
});
