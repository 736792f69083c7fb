/**
 * Recording a consent through the route (consent review #31, #32, #33): a bad period or
 * recipient is refused with `invalid-body` and nothing is kept; an overlapping consent is kept
 * and the overlap is what the sharing centre warns about; the preview the patient confirmed is
 * kept verbatim on the Consent.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Consent } from '@medplum/fhirtypes';
import { CONSENT_PREVIEW_EXTENSION, findOverlaps } from '@/lib/consent';
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

async function patientLaunch() {
  const session = await newBrowserSession();
  const launch = await h.store.launches.createLaunch({
    id: `consents-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: session.sid, issuerId: 'test', workflow: 'patient', patientId: 'pat-001',
    encounterId: null, fhirUser: 'Patient/pat-001', scope: 'openid patient/Observation.rs', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
  const cookie = session.setCookie.split(';')[0]!;
  const record = async (body: unknown) => {
    const res = await POST(
      new Request(`http://localhost:3000/api/l/${launch.id}/consents`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      { params: Promise.resolve({ launchId: launch.id }) },
    );
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { record };
}

const codeOf = (body: Record<string, any>) => body.issue?.[0]?.details?.coding?.[0]?.code;
const kept = () => h.store.consents.listForPatient({ issuerId: 'test', patientId: 'pat-001' });
const share = { kind: 'share-with-practitioner', practitionerId: 'prac-002', resourceTypes: ['Observation'], days: 30 } as const;

describe('a bad period or recipient (review #32)', () => {
  it.each([
    ['no days', { ...share, days: 0 }],
    ['more than a year', { ...share, days: 366 }],
    ['part of a day', { ...share, days: 1.5 }],
    ['a negative period', { ...share, days: -5 }],
    ['a recipient id that is not a FHIR id', { ...share, practitionerId: 'Practitioner/prac-002' }],
    ['an absolute recipient', { ...share, practitionerId: 'https://elsewhere.example/Practitioner/1' }],
    ['no recipient', { ...share, practitionerId: '' }],
    ['no resource types', { ...share, resourceTypes: [] }],
  ])('%s: 400 invalid-body, nothing kept', async (_name, body) => {
    const { record } = await patientLaunch();
    const res = await record(body);
    expect(res.status).toBe(400);
    expect(codeOf(res.body)).toBe('invalid-body');
    expect(await kept()).toEqual([]);
  });

  it('one day and 365 days are both accepted, ending that many days on', async () => {
    const { record } = await patientLaunch();
    for (const days of [1, 365]) {
      const res = await record({ ...share, days });
      expect(res.status).toBe(201);
      const { start, end } = (res.body as Consent).provision!.period!;
      expect(Date.parse(end!) - Date.parse(start!)).toBe(days * 86_400_000);
    }
  });
});

describe('an overlapping consent (review #31)', () => {
  it('is kept (201), and the overlap is what the sharing centre shows as a warning', async () => {
    const { record } = await patientLaunch();
    const first = await record(share);
    const second = await record(share);
    expect([first.status, second.status]).toEqual([201, 201]);
    const consents = await kept();
    expect(consents).toHaveLength(2);
    const findings = findOverlaps(consents, new Date());
    expect(findings.map((f) => f.code)).toEqual(['duplicate-consent']);
    expect(findings.flatMap((f) => f.consentIds).sort()).toEqual([first.body.id, second.body.id].sort());
  });
});

describe('the preview the patient confirmed (review #33)', () => {
  it('is kept verbatim on the Consent', async () => {
    const { record } = await patientLaunch();
    const preview = 'You are sharing your test results with Dr Example for 30 days.';
    const res = await record({ ...share, preview });
    expect(res.status).toBe(201);
    const [stored] = await kept();
    expect(stored!.extension).toEqual([{ url: CONSENT_PREVIEW_EXTENSION, valueString: preview }]);
  });
});
