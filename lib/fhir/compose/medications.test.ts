import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS, MEDICATIONS } from '../../../fixtures';
import { toMedicationList } from './medications';
import { bundleOf, chartOf, ctx, theSeed } from './testing';

const ada = FIXTURE_PATIENTS[0]!;
const medicationsShared = () => theSeed().shared.filter((r) => r.resourceType === 'Medication');

describe('medication list on the seeded patients', () => {
  it('resolves a prescription by reference through _include, and lists the patient-reported medicine', () => {
    const chart = chartOf(ada.id);
    const requests = bundleOf(chart.of('MedicationRequest'));
    requests.entry!.push(...bundleOf(medicationsShared(), 'include').entry!);
    const statements = bundleOf(chart.of('MedicationStatement'));
    const meds = toMedicationList([requests, statements], ctx);
    // Ada has hypertension: lisinopril by reference, plus ibuprofen reported by the patient.
    expect(meds.map((m) => m.title)).toEqual(expect.arrayContaining([MEDICATIONS[0]!.display, 'ibuprofen 200 MG Oral Tablet']));
    expect(meds.every((m) => m.state === 'active')).toBe(true);
    expect(meds.find((m) => m.provenance.resourceType === 'MedicationStatement')?.detail).toMatch(/Reported by the patient/);
    const all = toMedicationList([requests, statements], ctx, { includeInactive: true });
    expect(all.some((m) => m.state === 'inactive' && (m.status === 'stopped' || m.status === 'completed'))).toBe(true);
  });

  it('every active prescription in the seed gets a real name when includes are present', () => {
    const requests = theSeed().patients.flatMap((p) => p.resources).filter((r) => r.resourceType === 'MedicationRequest').slice(0, 40);
    const bundle = bundleOf(requests);
    bundle.entry!.push(...bundleOf(medicationsShared(), 'include').entry!);
    const meds = toMedicationList(bundle, ctx, { includeInactive: true });
    expect(meds).toHaveLength(40);
    expect(meds.filter((m) => m.title === 'Unnamed medication')).toEqual([]);
  });
});

describe('medication as code or reference, vendor shapes', () => {
  const rx = (id: string, extra: Record<string, unknown>) => ({ resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, ...extra }) as Resource;
  const med = { resourceType: 'Medication', id: 'm1', code: { coding: [{ system: 'rx', code: '1', display: 'Drug by include' }] } } as Resource;

  it.each([
    ['a code with text only', rx('1', { medicationCodeableConcept: { text: 'Aspirin 81 mg' } }), 'Aspirin 81 mg'],
    ['a relative reference resolved by _include', rx('2', { medicationReference: { reference: 'Medication/m1' } }), 'Drug by include'],
    ['an absolute reference', rx('3', { medicationReference: { reference: 'https://ehr.example/fhir/Medication/m1' } }), 'Drug by include'],
    ['a versioned reference', rx('4', { medicationReference: { reference: 'Medication/m1/_history/2' } }), 'Drug by include'],
    ['a contained Medication', rx('5', { contained: [{ resourceType: 'Medication', id: 'c', code: { text: 'Contained drug' } }], medicationReference: { reference: '#c' } }), 'Contained drug'],
    ['an unresolvable reference with a display', rx('6', { medicationReference: { reference: 'Medication/gone', display: 'Shown by display' } }), 'Shown by display'],
    ['nothing at all', rx('7', {}), 'Unnamed medication'],
  ])('names %s', (_name, request, title) => {
    const bundle = bundleOf([request]);
    bundle.entry!.push(...bundleOf([med], 'include').entry!);
    expect(toMedicationList(bundle, ctx)[0]?.title).toBe(title);
  });

  it('keeps on-hold prescriptions visible with their status and hides entered-in-error', () => {
    const items = toMedicationList(bundleOf([rx('1', { status: 'on-hold', medicationCodeableConcept: { text: 'A' } }), rx('2', { status: 'entered-in-error', medicationCodeableConcept: { text: 'B' } })]), ctx);
    expect(items.map((i) => [i.title, i.status])).toEqual([['A', 'on-hold']]);
  });
});
