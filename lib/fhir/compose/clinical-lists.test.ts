import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { BIG_PATIENT_ID, FIXTURE_PATIENTS } from '../../../fixtures';
import { toCarePlanList, toDocumentList, toEncounterTimeline, toImmunizationList, toProcedureList, toTaskList } from './clinical-lists';
import { bundleOf, chartOf, ctx } from './testing';

const ada = FIXTURE_PATIENTS[0]!;

describe('chart lists on the seeded patients', () => {
  const chart = chartOf(ada.id);

  it('the encounters timeline is newest first, one item per visit', () => {
    const items = toEncounterTimeline(bundleOf(chart.of('Encounter')), ctx);
    expect(items).toHaveLength(5);
    expect(items.map((i) => i.date)).toEqual([...items.map((i) => i.date)].sort().reverse());
    expect(items[0]).toMatchObject({ title: 'Follow-up visit', state: 'active' });
    expect(items[0]!.detail).toMatch(/Dr\./);
  });

  it('lists the progress note with its author, and the care plan, task, immunizations and procedure', () => {
    const notes = toDocumentList(bundleOf(chart.of('DocumentReference')), ctx);
    // The portal's documents (fixtures/visits.ts) are newer; the progress note is found by its title.
    expect(notes.find((n) => n.title.startsWith('Follow-up visit'))).toMatchObject({ title: `Follow-up visit: ${ada.problem}`, detail: expect.stringContaining('Progress note'), body: expect.stringMatching(/^Progress note for Ada Testcase/) });
    expect(toCarePlanList(bundleOf(chart.of('CarePlan')), ctx).map((c) => c.title)).toContain(`${ada.problem} care plan`);
    expect(toTaskList(bundleOf(chart.of('Task')), ctx)[0]).toMatchObject({ title: expect.stringMatching(/questionnaire/), status: 'requested', detail: expect.stringMatching(/^Due \d{4}-/) });
    expect(toImmunizationList(bundleOf(chart.of('Immunization')), ctx).length).toBeGreaterThanOrEqual(2);
    expect(toProcedureList(bundleOf(chart.of('Procedure')), ctx)).toHaveLength(1);
  });

  it(`builds the big patient's 250-visit timeline`, () => {
    expect(toEncounterTimeline(bundleOf(chartOf(BIG_PATIENT_ID).of('Encounter')), ctx)).toHaveLength(250);
  });
});

describe('hidden entries', () => {
  it.each([
    ['Encounter', { status: 'cancelled' }, toEncounterTimeline, 'inactive'],
    ['DocumentReference', { status: 'superseded' }, toDocumentList, 'inactive'],
    ['DocumentReference', { status: 'current', docStatus: 'entered-in-error' }, toDocumentList, 'entered-in-error'],
    ['CarePlan', { status: 'completed' }, toCarePlanList, 'inactive'],
    ['Task', { status: 'completed' }, toTaskList, 'inactive'],
    ['Immunization', { status: 'not-done' }, toImmunizationList, 'inactive'],
    ['Procedure', { status: 'entered-in-error' }, toProcedureList, 'entered-in-error'],
  ] as const)('%s %j is hidden, and shown as %s on request', (type, extra, build, state) => {
    const bundle = bundleOf([{ resourceType: type, id: 'x', ...extra } as Resource]);
    expect(build(bundle, ctx)).toEqual([]);
    expect(build(bundle, ctx, { includeInactive: true })[0]?.state).toBe(state);
  });
});
