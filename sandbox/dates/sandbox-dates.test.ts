/**
 * The whole sandbox started with `SANDBOX_DATES` set to a day: what its FHIR server serves is the
 * moved seed, searches match the moved dates, and the knobs that touch dates (`agePatientData`,
 * `POST /_new-result`) still do what they say.
 */
import type { Appointment, Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, FIXTURE_NOW, visitPlan } from '../../fixtures/index';
import type { TokenInfo } from '../contracts';
import { createFhirServer } from '../fhir/index';
import { TOKENS } from '../fhir/testing';
import { startSandbox, type RunningSandbox } from '../main';
import { SEED_ANCHOR_DAY } from './shift';

const DAY_MS = 86_400_000;
const TODAY = '2031-05-20';
const DAYS = Math.round((Date.parse(TODAY) - Date.parse(SEED_ANCHOR_DAY)) / DAY_MS);
const tokens = TOKENS as Record<string, TokenInfo>;

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    host: '127.0.0.1',
    env: { SANDBOX_DATES: TODAY },
    // The real FHIR server and seed, with the test tokens of sandbox/fhir/testing.ts.
    createFhirServer: (options) => createFhirServer({ ...options, introspect: async (t) => tokens[t] ?? null }),
  });
});
afterAll(() => sandbox?.close());

async function fhir<T>(path: string, token: keyof typeof TOKENS = 'patient'): Promise<T> {
  const res = await fetch(`${sandbox.fhirBase}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

async function post(path: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(`${sandbox.origin}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const entries = <T>(bundle: Bundle): T[] => (bundle.entry ?? []).map((e) => e.resource as T);

describe('SANDBOX_DATES set to a day', () => {
  it('reports the shift it applied', () => {
    expect(sandbox.dateShift).toMatchObject({ fromDay: '2026-11-01', toDay: TODAY, days: DAYS });
  });

  it('serves appointments in the future of that day, found by a date search', async () => {
    const plan = visitPlan('pat-001');
    const next = await fhir<Appointment>(`/Appointment/${plan.next.id}`);
    expect(Date.parse(next.start!) - Date.parse(plan.next.start)).toBe(DAYS * DAY_MS);
    expect(next.start!.slice(0, 10) > TODAY).toBe(true);
    const coming = entries<Appointment>(await fhir<Bundle>(`/Appointment?patient=Patient/pat-001&date=ge${TODAY}&status=booked`));
    // The same appointments as were coming on the fixtures' own day.
    const original = buildSeed().patients.find((p) => p.patient.id === 'pat-001')!.resources.filter((r): r is Appointment => r.resourceType === 'Appointment');
    const comingThen = original.filter((a) => a.status === 'booked' && a.start! >= SEED_ANCHOR_DAY).map((a) => a.id);
    expect(comingThen).toEqual(expect.arrayContaining([plan.next.id, plan.noEnd.id]));
    expect(coming.map((a) => a.id).sort()).toEqual(comingThen.sort());
  });

  it('keeps the patient\'s age', async () => {
    const patient = await fhir<Patient>('/Patient/pat-001');
    const original = buildSeed().patients.find((p) => p.patient.id === 'pat-001')!.patient;
    const age = (birth: string, day: string) => Number(day.slice(0, 4)) - Number(birth.slice(0, 4)) - (day.slice(5) < birth.slice(5) ? 1 : 0);
    expect(patient.birthDate).not.toBe(original.birthDate);
    expect(age(patient.birthDate!, TODAY)).toBe(age(original.birthDate!, FIXTURE_NOW.slice(0, 10)));
  });

  it('ages a patient\'s data from the moved dates with agePatientData, and stops when the knobs are reset', async () => {
    const id = visitPlan('pat-001').next.id;
    const moved = await fhir<Appointment>(`/Appointment/${id}`);
    expect((await post('/_knobs', { agePatientData: { patients: ['pat-001'], days: 400 } })).status).toBe(200);
    try {
      const aged = await fhir<Appointment>(`/Appointment/${id}`);
      expect(Date.parse(moved.start!) - Date.parse(aged.start!)).toBe(400 * DAY_MS);
    } finally {
      expect((await post('/_knobs', undefined, 'DELETE')).status).toBe(200);
    }
    expect((await fhir<Appointment>(`/Appointment/${id}`)).start).toBe(moved.start);
  });

  it('releases a new result now, on the real clock, with POST /_new-result', async () => {
    const before = Date.now();
    const res = await post('/_new-result', { patient: 'pat-001' });
    const after = Date.now();
    expect(res.status).toBe(201);
    const created = (await res.json()) as Observation;
    expect(Date.parse(created.issued!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(created.issued!)).toBeLessThanOrEqual(after + 1000);
    expect((await fhir<Observation>(`/Observation/${created.id}`)).issued).toBe(created.issued);
  });
});
