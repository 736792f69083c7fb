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
/** The EHR knows prac-002 (Dr. Sam Simulacrum) and prac-004 only through pat-001's care team; prac-999 nowhere. */
const EHR_PEOPLE = { resourceType: 'Practitioner', id: 'prac-002', name: [{ prefix: ['Dr.'], given: ['Sam'], family: 'Simulacrum' }] };
const CARE_TEAM = {
  resourceType: 'Bundle', type: 'searchset',
  entry: [{ resource: { resourceType: 'CareTeam', status: 'active', subject: { reference: 'Patient/pat-001' }, participant: [{ member: { reference: 'Practitioner/prac-004', display: 'Dr. Alex Standin' } }] } }],
};
const EMPTY = { resourceType: 'Bundle', type: 'searchset', entry: [] };
beforeEach(() => {
  current.store = h.store;
  h.as.onFhir(({ url }) => {
    const path = new URL(url, 'http://x').pathname;
    if (path.endsWith('/Practitioner/prac-002')) return { status: 200, body: EHR_PEOPLE };
    if (path.endsWith('/CareTeam') && url.includes('Patient%2Fpat-001')) return { status: 200, body: CARE_TEAM };
    if (path.endsWith('/CareTeam') || path.endsWith('/Encounter')) return { status: 200, body: EMPTY };
    return { status: 404, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] } };
  });
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

describe('the person chosen (issue 14): checked with the EHR, named by it', () => {
  it('names a Practitioner the EHR knows from its resource, whatever the browser might say', async () => {
    const { record } = await patientLaunch();
    const res = await record(share);
    expect(res.status).toBe(201);
    expect((res.body as Consent).provision?.actor?.[0]?.reference).toEqual({ reference: 'Practitioner/prac-002', display: 'Dr. Sam Simulacrum' });
  });

  it('accepts someone the EHR will not read but who is on the patient\'s care team, by the team\'s name for them', async () => {
    const { record } = await patientLaunch();
    const res = await record({ kind: 'restrict-practitioner', practitionerId: 'prac-004' });
    expect(res.status).toBe(201);
    expect((res.body as Consent).provision?.actor?.[0]?.reference?.display).toBe('Dr. Alex Standin');
  });

  it.each([
    ['a share', { ...share, practitionerId: 'prac-999' }],
    ['a restriction', { kind: 'restrict-practitioner', practitionerId: 'prac-999' }],
  ])('refuses %s naming someone the EHR does not know and who cares for no one here: 422 unknown-person, nothing kept', async (_name, body) => {
    const { record } = await patientLaunch();
    const res = await record(body);
    expect(res.status).toBe(422);
    expect(codeOf(res.body)).toBe('unknown-person');
    expect(await kept()).toEqual([]);
  });

  it('refuses a preview that names someone else than the person sent: 422 preview-mismatch, nothing kept', async () => {
    const { record } = await patientLaunch();
    const res = await record({ ...share, preview: 'You are sharing your test results with Dr. Alex Standin (your GP), for 30 days.' });
    expect(res.status).toBe(422);
    expect(codeOf(res.body)).toBe('preview-mismatch');
    expect(await kept()).toEqual([]);
  });

  it('accepts a preview naming the person as their care team does, when that differs from the Practitioner resource', async () => {
    const team = { ...CARE_TEAM, entry: [{ resource: { ...CARE_TEAM.entry[0]!.resource, participant: [{ member: { reference: 'Practitioner/prac-002', display: 'Simulacrum, Sam MD' } }] } }] };
    h.as.onFhir(({ url }) => {
      const path = new URL(url, 'http://x').pathname;
      if (path.endsWith('/Practitioner/prac-002')) return { status: 200, body: EHR_PEOPLE };
      return { status: 200, body: path.endsWith('/CareTeam') ? team : EMPTY };
    });
    const { record } = await patientLaunch();
    const res = await record({ ...share, preview: 'You are sharing your test results with Simulacrum, Sam MD (your GP), for 30 days.' });
    expect(res.status).toBe(201);
    expect((res.body as Consent).provision?.actor?.[0]?.reference?.display).toBe('Simulacrum, Sam MD');
  });

  it('records nothing when the EHR cannot answer (502 upstream-error), rather than guess', async () => {
    h.as.onFhir(() => ({ status: 503, body: {} }));
    const { record } = await patientLaunch();
    const res = await record(share);
    expect(res.status).toBe(502);
    expect(codeOf(res.body)).toBe('upstream-error');
    expect(await kept()).toEqual([]);
  });
});

describe('the preview the patient confirmed (review #33)', () => {
  it('is kept verbatim on the Consent', async () => {
    const { record } = await patientLaunch();
    const preview = 'You are sharing your test results with Dr. Sam Simulacrum for 30 days.';
    const res = await record({ ...share, preview });
    expect(res.status).toBe(201);
    const [stored] = await kept();
    expect(stored!.extension).toEqual([{ url: CONSENT_PREVIEW_EXTENSION, valueString: preview }]);
  });
});
