import fc from 'fast-check';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed, FIXTURE_PATIENTS } from '../../../fixtures';
import { toAllergyList, toLatestVitals, toMedicationList, toPatientHeader, toProblemList } from './summary';

const ctx = { source: 'Test EHR', fetchedAt: '2026-11-01T09:00:00Z' };
const bundleOf = (resources: Resource[], mode: 'match' | 'include' = 'match'): Bundle => ({
  resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode } })),
});

describe('summary view models on the seeded patients', () => {
  const seed = buildSeed();
  const ada = seed.patients.find((p) => p.patient.id === FIXTURE_PATIENTS[0]!.id)!;
  const of = (type: string) => ada.resources.filter((r) => r.resourceType === type);

  it('builds the banner with name, age, sex and MRN', () => {
    const h = toPatientHeader(ada.patient, ctx, new Date('2026-11-01T00:00:00Z'));
    expect(h.name).toBe(FIXTURE_PATIENTS[0]!.display);
    expect(h.age).toBe(68);
    expect(h.identifier?.value).toBe(FIXTURE_PATIENTS[0]!.mrn);
    expect(h.provenance).toMatchObject({ source: 'Test EHR', resourceType: 'Patient', id: ada.patient.id });
  });

  it('lists the known allergy and problem with their provenance', () => {
    const allergies = toAllergyList(bundleOf(of('AllergyIntolerance')), ctx);
    expect(allergies.map((a) => a.title)).toContain(FIXTURE_PATIENTS[0]!.allergy);
    const problems = toProblemList(bundleOf(of('Condition')), ctx);
    expect(problems.map((p) => p.title)).toContain(FIXTURE_PATIENTS[0]!.problem);
    expect(problems.every((p) => p.provenance.resourceType === 'Condition')).toBe(true);
  });

  it('resolves medications given by reference through _include', () => {
    const requests = seed.patients.flatMap((p) => p.resources).filter((r) => r.resourceType === 'MedicationRequest' && 'medicationReference' in r && r.status === 'active').slice(0, 3);
    expect(requests.length).toBeGreaterThan(0);
    const bundle = bundleOf(requests);
    bundle.entry!.push(...seed.shared.filter((r) => r.resourceType === 'Medication').map((resource) => ({ resource, search: { mode: 'include' as const } })));
    const meds = toMedicationList(bundle, ctx);
    expect(meds).toHaveLength(requests.length);
    expect(meds.every((m) => m.title !== 'Unnamed medication')).toBe(true);
  });

  it('keeps the latest value per vital sign, and shows blood pressure as systolic/diastolic', () => {
    const vitals = toLatestVitals(bundleOf(of('Observation').filter((o) => JSON.stringify(o).includes('vital-signs'))), ctx);
    const codes = vitals.map((v) => v.title);
    expect(new Set(codes).size).toBe(codes.length);
    const bp = vitals.find((v) => /blood pressure/i.test(v.title));
    expect(bp?.detail).toMatch(/^\d+\/\d+ mm\[Hg\]|^\d+\/\d+ mmHg/);
  });

  it('hides entered-in-error conditions from the problem list', () => {
    const c = { resourceType: 'Condition', id: 'c1', code: { text: 'Mistake' }, subject: { reference: 'Patient/p' }, verificationStatus: { coding: [{ code: 'entered-in-error' }] } } as Resource;
    expect(toProblemList(bundleOf([c]), ctx)).toEqual([]);
  });
});

/** Arbitrary JSON-ish resources: right resourceType, anything else in any shape. */
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('text', 'coding', 'code', 'display', 'system', 'value', 'unit', 'reference', 'given', 'family', 'use'), tie('value'), { maxKeys: 4 })),
})).value;
const fieldNames = ['id', 'meta', 'code', 'status', 'clinicalStatus', 'verificationStatus', 'criticality', 'reaction', 'subject', 'patient', 'name', 'gender', 'birthDate', 'identifier', 'valueQuantity', 'valueString', 'valueCodeableConcept', 'component', 'interpretation', 'effectiveDateTime', 'medicationCodeableConcept', 'medicationReference', 'dosageInstruction', 'onsetDateTime'];
const anyResource = (type: string) => fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 8 }).map((r) => ({ ...r, resourceType: type }) as unknown as Resource);

describe('normalisation never throws', () => {
  it.each([
    ['AllergyIntolerance', toAllergyList],
    ['Condition', toProblemList],
    ['MedicationRequest', toMedicationList],
    ['Observation', toLatestVitals],
  ] as const)('%s lists accept any shape', (type, fn) => {
    fc.assert(fc.property(fc.array(anyResource(type), { maxLength: 5 }), (resources) => {
      const items = fn(bundleOf(resources), ctx);
      expect(Array.isArray(items)).toBe(true);
      for (const i of items) expect(typeof i.title).toBe('string');
    }), { numRuns: 300 });
  });
  it('the banner accepts any Patient shape', () => {
    fc.assert(fc.property(anyResource('Patient'), (p) => {
      const h = toPatientHeader(p as never, ctx, new Date());
      expect(typeof h.name).toBe('string');
    }), { numRuns: 300 });
  });
});
