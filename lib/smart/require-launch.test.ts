import { describe, expect, it } from 'vitest';
import { operationOutcome, ProxyError } from '../fhir';
import type { LaunchRecord, LaunchStore } from '../store';
import { isWithdrawn, LAPSED_HANDOVER_MS, requireLapsedLaunch, requireLaunch, requirePatientSelf } from './require-launch';
import { newBrowserSession } from './session';

const LAUNCH_ID = 'launch-0000000000000001';

async function setup(endReason: string | null, endedAt = 1) {
  const { sid, setCookie } = await newBrowserSession();
  const launch = { id: LAUNCH_ID, browserSessionId: sid, endedAt: endReason === null ? null : endedAt, endReason } as LaunchRecord;
  const store = { getLaunch: async (id: string) => (id === LAUNCH_ID ? launch : undefined) } as unknown as LaunchStore;
  const request = new Request('http://localhost/api', { headers: { cookie: setCookie.split(';')[0]! } });
  return { store, request };
}

async function outcomeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (e) {
    return e instanceof ProxyError ? e.code : String(e);
  }
}

describe('isWithdrawn (issue 5)', () => {
  it.each([
    ['signed-out', false],
    ['refresh-failed', true],
    ['access-expired', true],
    ['support-ended', true],
  ] as const)('%s → %s', (reason, expected) => expect(isWithdrawn(reason)).toBe(expected));
});

describe('requireLaunch', () => {
  it('answers launch-withdrawn for a launch ended for the person, only when asked (the sync directive)', async () => {
    for (const [reason, withdrawn, plain] of [
      [null, 'ok', 'ok'],
      ['signed-out', 'launch-ended', 'launch-ended'],
      ['support-ended', 'launch-withdrawn', 'launch-ended'],
      ['refresh-failed', 'launch-withdrawn', 'launch-ended'],
    ] as const) {
      const { store, request } = await setup(reason);
      expect([reason, await outcomeOf(requireLaunch(LAUNCH_ID, request, store, { withdrawn: true }))]).toEqual([reason, withdrawn]);
      expect([reason, await outcomeOf(requireLaunch(LAUNCH_ID, request, store))]).toEqual([reason, plain]);
    }
  });

  it('a browser without the session is not authenticated, whatever the launch', async () => {
    const { store } = await setup('support-ended');
    expect(await outcomeOf(requireLaunch(LAUNCH_ID, new Request('http://localhost/api'), store, { withdrawn: true }))).toBe('not-authenticated');
  });
});

describe('requireLapsedLaunch (held changes, issue 5)', () => {
  const ended = 1_000_000;
  it('lets only a launch that lapsed within the hour hand over its changes', async () => {
    for (const [reason, at, expected] of [
      ['refresh-failed', ended + 60_000, 'ok'],
      ['access-expired', ended + LAPSED_HANDOVER_MS, 'ok'],
      ['access-expired', ended + LAPSED_HANDOVER_MS + 1, 'hold-refused'],
      ['support-ended', ended + 1, 'hold-refused'],
      ['signed-out', ended + 1, 'hold-refused'],
      [null, ended + 1, 'hold-refused'],
    ] as const) {
      const { store, request } = await setup(reason, ended);
      expect([reason, at, await outcomeOf(requireLapsedLaunch(LAUNCH_ID, request, store, at))]).toEqual([reason, at, expected]);
    }
  });

  it('another browser cannot hand changes over for a lapsed launch', async () => {
    const { store } = await setup('refresh-failed', ended);
    expect(await outcomeOf(requireLapsedLaunch(LAUNCH_ID, new Request('http://localhost/api'), store, ended + 1))).toBe('not-authenticated');
  });
});

describe('requirePatientSelf (issue 10)', () => {
  const launch = (workflow: 'patient' | 'clinician', fhirUser: string | null, patientId: string | null = 'pat-001') => ({ workflow, fhirUser, patientId }) as LaunchRecord;

  it.each([
    ['a clinician', launch('clinician', 'Practitioner/prac-001')],
    ['a practitioner whose launch says portal', launch('patient', 'Practitioner/prac-001')],
    ['a related person whose launch says portal', launch('patient', 'RelatedPerson/rel-001')],
    ['another patient', launch('patient', 'Patient/pat-002')],
    ['a launch with no user', launch('patient', null)],
    ['a patient whose fhirUser was never normalised', launch('patient', 'https://ehr.example/fhir/Patient/pat-001')],
  ])('refuses %s with 403 patient-only', (_label, record) => {
    let caught: unknown;
    try {
      requirePatientSelf(record);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ProxyError);
    expect((caught as ProxyError).code).toBe('patient-only');
    expect((caught as ProxyError).status).toBe(403);
    expect(operationOutcome('patient-only').issue[0]?.code).toBe('forbidden');
  });

  it('lets the patient in context through', () => {
    const record = launch('patient', 'Patient/pat-001');
    expect(requirePatientSelf(record)).toBe(record);
  });
});
