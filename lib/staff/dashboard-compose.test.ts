/**
 * The dashboard's rows from messy answers: missing dates, future dates, no results, withheld and
 * partly withheld sources, failures, a withheld patient; and the three sorts.
 */
import type { Bundle, Communication, Consent, DocumentReference, Encounter, Observation, Patient, Resource, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed, FIXTURE_NOW, FIXTURE_PATIENTS } from '../../fixtures/index';
import { DASHBOARD_SOURCES, sortCareTeamRows, toCareTeamRow, type DashboardSettings, type PatientAnswers, type SourceAnswer } from './dashboard-compose';

const DAY = 86_400_000;
const NOW = new Date(Date.parse(FIXTURE_NOW) + 10 * DAY);
const settings: DashboardSettings = {
  staleAfterDays: 365, recentDays: 90, practitioner: 'Practitioner/prac-001', now: NOW,
  compose: { source: 'Test EHR', fetchedAt: NOW.toISOString() },
};
const daysAgo = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();
const bundle = (resources: Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) });
const ok = (resources: Resource[], hidden = 0): SourceAnswer => ({ state: 'ok', bundle: bundle(resources), hidden });
const empty = () => Object.fromEntries(DASHBOARD_SOURCES.map((s) => [s, ok([])])) as PatientAnswers['sources'];
const patient: Patient = { resourceType: 'Patient', id: 'p-1', name: [{ given: ['Test'], family: 'Person' }] };

function answers(over: Partial<PatientAnswers['sources']> = {}, extra: Partial<PatientAnswers> = {}): PatientAnswers {
  return { patientId: 'p-1', patient: { state: 'ok', resource: patient }, sources: { ...empty(), ...over }, consents: [], ...extra };
}

const potassium = (value: number, when: string | undefined, flag?: 'H' | 'L'): Observation => ({
  resourceType: 'Observation', id: `k-${value}-${when ?? 'none'}`, status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }] },
  subject: { reference: 'Patient/p-1' },
  ...(when ? { effectiveDateTime: when } : {}),
  valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.1, unit: 'mmol/L' } }],
  ...(flag ? { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: flag }] }] } : {}),
});

describe('toCareTeamRow with the seed chart', () => {
  const seed = buildSeed();
  const facts = FIXTURE_PATIENTS[0]!;
  const chart = seed.patients.find((p) => p.patient.id === facts.id)!;
  const of = (type: string) => chart.resources.filter((r) => r.resourceType === type);
  const sources = () => Object.fromEntries(DASHBOARD_SOURCES.map((s) => [s, ok(of(s))])) as PatientAnswers['sources'];

  it('is fresh shortly after the fixtures were made, and stale once its newest data is past the threshold', () => {
    const row = toCareTeamRow({ patientId: facts.id, patient: { state: 'ok', resource: chart.patient }, sources: sources(), consents: [] }, settings);
    expect(row.name).toBe(facts.display);
    expect(row.staleness.stale).toBe(false);
    expect(row.staleness.ageDays).toBeLessThan(60);
    const later = toCareTeamRow({ patientId: facts.id, patient: { state: 'ok', resource: chart.patient }, sources: sources(), consents: [] }, { ...settings, now: new Date(NOW.getTime() + 400 * DAY) });
    expect(later.staleness.stale).toBe(true);
    expect(later.staleness.sources.find((s) => s.source === 'Observation')).toMatchObject({ state: 'ok', stale: true });
  });
});

describe('toCareTeamRow with messy answers', () => {
  it('flags a recent out-of-range result, not an old one, and not one the newer normal result replaced', () => {
    const recent = toCareTeamRow(answers({ Observation: ok([potassium(6.2, daysAgo(3), 'H')]) }), settings);
    expect(recent.attention.results).toEqual([expect.objectContaining({ label: expect.any(String), flag: 'high' })]);
    expect(recent.attention.score).toBe(1);
    expect(toCareTeamRow(answers({ Observation: ok([potassium(6.2, daysAgo(200), 'H')]) }), settings).attention.results).toEqual([]);
    expect(toCareTeamRow(answers({ Observation: ok([potassium(6.2, daysAgo(10), 'H'), potassium(4.2, daysAgo(2))]) }), settings).attention.results).toEqual([]);
  });

  it('counts open tasks past their due date only', () => {
    const task = (status: Task['status'], due?: string): Task => ({ resourceType: 'Task', id: `t-${status}-${due}`, status, intent: 'order', authoredOn: daysAgo(20), ...(due ? { restriction: { period: { end: due } } } : {}) });
    const row = toCareTeamRow(answers({ Task: ok([task('requested', daysAgo(1)), task('completed', daysAgo(1)), task('in-progress', daysAgo(-5)), task('ready')]) }), settings);
    expect(row.attention.overdueTasks).toBe(1);
  });

  it('treats data without dates as no data (stale, age unknown) and ignores dates in the future', () => {
    const undated = toCareTeamRow(answers({ Observation: ok([potassium(4, undefined)]) }), settings);
    expect(undated.staleness).toMatchObject({ stale: true, ageDays: null, newest: null });
    expect(undated.staleness.sources.find((s) => s.source === 'Observation')?.state).toBe('none');
    const planned: Encounter = { resourceType: 'Encounter', id: 'e-1', status: 'planned', class: { code: 'AMB' }, period: { start: daysAgo(-300) } };
    const old: Encounter = { resourceType: 'Encounter', id: 'e-2', status: 'finished', class: { code: 'AMB' }, period: { start: daysAgo(500), end: daysAgo(500) } };
    const row = toCareTeamRow(answers({ Encounter: ok([planned, old]) }), settings);
    expect(row.staleness).toMatchObject({ stale: true, ageDays: 500 });
  });

  it('marks withheld and partly withheld sources instead of counting them as empty', () => {
    const row = toCareTeamRow(answers({
      Observation: { state: 'withheld' },
      DocumentReference: ok([{ resourceType: 'DocumentReference', id: 'd-1', status: 'current', docStatus: 'preliminary', content: [], date: daysAgo(2) } as DocumentReference], 2),
      Communication: { state: 'failed' },
    }), settings);
    expect(row.withheld).toEqual(['Observation', 'DocumentReference']);
    expect(row.attention.withheld).toEqual(['Observation']);
    expect(row.staleness.sources.find((s) => s.source === 'Observation')).toMatchObject({ state: 'withheld', stale: false });
    expect(row.unsignedNotes).toEqual({ state: 'ok', count: 1, partial: true });
    expect(row.unansweredMessages).toEqual({ state: 'failed' });
    expect(row.staleness.stale).toBe(false);
  });

  it('is not called stale when every source is withheld, failed or not granted (nothing to judge by)', () => {
    const sources = Object.fromEntries(DASHBOARD_SOURCES.map((s, i) => [s, { state: (['withheld', 'failed', 'not-granted'] as const)[i % 3] }])) as PatientAnswers['sources'];
    expect(toCareTeamRow(answers(sources), settings).staleness).toMatchObject({ stale: false, ageDays: null });
  });

  it('counts messages to the practitioner or from the patient that nothing answers', () => {
    const msg = (id: string, extra: Partial<Communication>): Communication => ({ resourceType: 'Communication', id, status: 'completed', sent: daysAgo(1), ...extra });
    const row = toCareTeamRow(answers({
      Communication: ok([
        msg('m-1', { sender: { reference: 'Patient/p-1' } }),
        msg('m-2', { sender: { reference: 'Patient/p-1' } }),
        msg('m-3', { sender: { reference: 'Practitioner/prac-001' }, inResponseTo: [{ reference: 'Communication/m-2' }] }),
        msg('m-4', { recipient: [{ reference: 'Practitioner/prac-001' }], sender: { reference: 'Practitioner/prac-002' } }),
        msg('m-5', { recipient: [{ reference: 'Practitioner/prac-009' }], sender: { reference: 'Practitioner/prac-002' } }),
        msg('m-6', { sender: { reference: 'Patient/p-1' }, status: 'entered-in-error' }),
      ]),
    }), settings);
    expect(row.unansweredMessages).toEqual({ state: 'ok', count: 2, partial: false });
  });

  it('counts consent changes within the recent window, and revocations among them', () => {
    const consent = (id: string, status: Consent['status'], changed: string): Consent => ({ resourceType: 'Consent', id, status, scope: { text: 'x' }, category: [], meta: { lastUpdated: changed } });
    const row = toCareTeamRow(answers({}, { consents: [consent('c-1', 'inactive', daysAgo(3)), consent('c-2', 'active', daysAgo(30)), consent('c-3', 'active', daysAgo(400))] }), settings);
    expect(row.consentChanges).toEqual({ count: 2, revoked: 1, newest: daysAgo(3) });
  });

  it('keeps a row for a patient whose record is withheld, without a name', () => {
    const row = toCareTeamRow(answers({}, { patient: { state: 'withheld' } }), settings);
    expect(row).toMatchObject({ name: null, nameState: 'withheld', patientId: 'p-1' });
  });
});

describe('sortCareTeamRows', () => {
  const named = (name: string, over: Partial<PatientAnswers['sources']>) => toCareTeamRow({ ...answers(over), patientId: name, patient: { state: 'ok', resource: { ...patient, name: [{ text: name }] } } }, settings);
  const enc = (days: number): Encounter => ({ resourceType: 'Encounter', id: `e-${days}`, status: 'finished', class: { code: 'AMB' }, period: { start: daysAgo(days) } });
  const rows = [
    named('Bea', { Encounter: ok([enc(10)]) }),
    named('Al', { Encounter: ok([enc(800)]) }),
    named('Cy', { Encounter: ok([enc(5)]), Observation: ok([potassium(6.5, daysAgo(1), 'H')]) }),
    named('Di', {}),
  ];

  it('sorts by attention (then staleness), by staleness (no data first, then oldest), and by name', () => {
    expect(sortCareTeamRows(rows, 'attention').map((r) => r.name)).toEqual(['Cy', 'Al', 'Di', 'Bea']);
    expect(sortCareTeamRows(rows, 'stale').map((r) => r.name)).toEqual(['Di', 'Al', 'Bea', 'Cy']);
    expect(sortCareTeamRows(rows, 'name').map((r) => r.name)).toEqual(['Al', 'Bea', 'Cy', 'Di']);
  });
});
