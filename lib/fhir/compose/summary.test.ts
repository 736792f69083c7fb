import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { ENTERED_IN_ERROR_CONDITION_ID, ENTERED_IN_ERROR_PATIENT_ID, FIXTURE_PATIENTS } from '../../../fixtures';
import { toAllergyList, toPatientHeader, toProblemList } from './summary';
import { bundleOf, chartOf, ctx } from './testing';

const ada = FIXTURE_PATIENTS[0]!;

describe('patient header on the seeded patients', () => {
  it('builds the banner with name, age, sex and MRN', () => {
    const chart = chartOf(ada.id);
    const h = toPatientHeader(chart.patient, ctx, new Date('2026-11-01T00:00:00Z'));
    expect(h.name).toBe(ada.display);
    expect(h.age).toBe(68);
    expect(h.sex).toBe('female');
    expect(h.identifier).toEqual({ label: 'Medical record number', value: ada.mrn });
    expect(h.provenance).toMatchObject({ source: 'Test EHR', resourceType: 'Patient', id: ada.id, versionId: null, fetchedAt: ctx.fetchedAt });
  });

  it('keeps versionId and lastUpdated when the source sends meta, and tolerates a long opaque id', () => {
    const id = 'eXy1.' + 'a'.repeat(59);
    const h = toPatientHeader({ resourceType: 'Patient', id, meta: { versionId: '3', lastUpdated: '2026-11-01T07:00:00Z' }, name: [{ given: ['Kim'] }] }, ctx, new Date());
    expect(h.name).toBe('Kim');
    expect(h.provenance).toMatchObject({ id, versionId: '3', lastUpdated: '2026-11-01T07:00:00Z' });
    expect(h.identifier).toBeUndefined();
    expect(h.age).toBeUndefined();
  });

  it.each([
    ['partial birth date', { birthDate: '1970' }, undefined],
    ['invalid birth date', { birthDate: '1970-13-45' }, undefined],
    ['full birth date', { birthDate: '1970-11-02' }, 55],
  ])('age from a %s', (_name, extra, age) => {
    expect(toPatientHeader({ resourceType: 'Patient', ...extra } as never, ctx, new Date('2026-11-01T00:00:00Z')).age).toBe(age);
  });
});

describe('allergies', () => {
  it('lists the named allergy with its reaction and provenance', () => {
    const allergies = toAllergyList(bundleOf(chartOf(ada.id).of('AllergyIntolerance')), ctx);
    const penicillin = allergies.find((a) => a.title === ada.allergy);
    expect(penicillin).toMatchObject({ flag: 'critical', state: 'active', detail: 'High criticality · Urticaria (moderate)' });
    expect(penicillin?.provenance.resourceType).toBe('AllergyIntolerance');
  });

  it('puts critical allergies first and hides inactive and refuted ones unless asked', () => {
    const base = { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p' } };
    const list = [
      { ...base, id: 'a1', code: { text: 'Latex' }, recordedDate: '2026-01-01' },
      { ...base, id: 'a2', code: { text: 'Peanut' }, criticality: 'high', recordedDate: '2020-01-01' },
      { ...base, id: 'a3', code: { text: 'Old' }, clinicalStatus: { coding: [{ code: 'resolved' }] } },
      { ...base, id: 'a4', code: { text: 'Never' }, verificationStatus: { coding: [{ code: 'refuted' }] } },
      { ...base, id: 'a5', code: { text: 'Wrong' }, verificationStatus: { coding: [{ code: 'entered-in-error' }] } },
    ] as Resource[];
    expect(toAllergyList(bundleOf(list), ctx).map((a) => a.title)).toEqual(['Peanut', 'Latex']);
    const all = toAllergyList(bundleOf(list), ctx, { includeInactive: true });
    expect(all.map((a) => [a.title, a.state])).toEqual(expect.arrayContaining([['Old', 'inactive'], ['Never', 'inactive'], ['Wrong', 'entered-in-error']]));
    expect(all).toHaveLength(5);
  });
});

describe('problem list', () => {
  it('shows the chronic problem and hides the resolved one', () => {
    const problems = toProblemList(bundleOf(chartOf(ada.id).of('Condition')), ctx);
    expect(problems.map((p) => p.title)).toContain(ada.problem);
    expect(problems.every((p) => p.state === 'active' && p.provenance.resourceType === 'Condition')).toBe(true);
    const all = toProblemList(bundleOf(chartOf(ada.id).of('Condition')), ctx, { includeInactive: true });
    expect(all.some((p) => p.state === 'inactive' && p.status === 'resolved')).toBe(true);
  });

  it(`hides the seeded entered-in-error condition ${ENTERED_IN_ERROR_CONDITION_ID}, and shows it on request`, () => {
    const bundle = bundleOf(chartOf(ENTERED_IN_ERROR_PATIENT_ID).of('Condition'));
    expect(toProblemList(bundle, ctx).some((p) => p.provenance.id === ENTERED_IN_ERROR_CONDITION_ID)).toBe(false);
    const shown = toProblemList(bundle, ctx, { includeInactive: true }).find((p) => p.provenance.id === ENTERED_IN_ERROR_CONDITION_ID);
    expect(shown?.state).toBe('entered-in-error');
  });

  it('reads codings with text only, unknown codes and missing codes', () => {
    const c = (id: string, code: unknown) => ({ resourceType: 'Condition', id, code, subject: { reference: 'Patient/p' } }) as Resource;
    const items = toProblemList(bundleOf([c('1', { text: 'Chest pain' }), c('2', { coding: [{ system: 'urn:local', code: 'X-99' }] }), c('3', undefined)]), ctx);
    expect(items.map((i) => i.title)).toEqual(['Chest pain', 'X-99', 'Unnamed problem']);
  });

  it('gives entries without an id distinct, stable keys', () => {
    const c = { resourceType: 'Condition', code: { text: 'A' } } as Resource;
    const first = toProblemList(bundleOf([c, c]), ctx).map((i) => i.key);
    expect(new Set(first).size).toBe(2);
    expect(toProblemList(bundleOf([c, c]), ctx).map((i) => i.key)).toEqual(first);
  });
});
