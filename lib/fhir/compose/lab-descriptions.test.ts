import { describe, expect, it } from 'vitest';
import { LABS } from '../../../fixtures';
import { describeTest, LAB_DESCRIPTIONS } from './lab-descriptions';

describe('the curated LOINC descriptions', () => {
  it('covers at least twenty common tests, each with one sentence, its LOINC name and a named source', () => {
    const entries = Object.entries(LAB_DESCRIPTIONS);
    expect(entries.length).toBeGreaterThanOrEqual(20);
    for (const [code, d] of entries) {
      expect(code).toMatch(/^\d{1,7}-\d$/);
      expect(d.text).toMatch(/^[A-Z].*[.]$/);
      expect(d.text.split(/[.!?](\s|$)/).filter((s) => s.trim()).length).toBe(1);
      expect(d.loincName.length).toBeGreaterThan(5);
      expect(d.reference).toMatch(/^MedlinePlus Lab Tests: \S/);
    }
  });

  it('describes every laboratory test the sandbox seeds', () => {
    for (const lab of LABS) expect(describeTest({ coding: [{ system: 'http://loinc.org', code: lab.loinc }] })?.kind).toBe('curated');
  });

  it('uses the first LOINC coding the table knows, and ignores codes of other systems', () => {
    const d = describeTest({ coding: [{ system: 'http://example.org/local', code: '2823-3' }, { system: 'http://loinc.org', code: '99999-9' }, { system: 'http://loinc.org', code: '2823-3' }] });
    expect(d).toMatchObject({ kind: 'curated', loinc: '2823-3', reference: 'MedlinePlus Lab Tests: Potassium Blood Test' });
  });

  it('accepts a coding with no stated system as LOINC', () => {
    expect(describeTest({ coding: [{ code: '4548-4' }] })).toMatchObject({ kind: 'curated', loinc: '4548-4' });
  });

  it("falls back to the EHR's own text, then a display, and never to a bare code", () => {
    expect(describeTest({ text: 'Vitamin D, 25-hydroxy', coding: [{ system: 'http://loinc.org', code: '62292-8' }] })).toEqual({ kind: 'ehr', text: 'Vitamin D, 25-hydroxy' });
    expect(describeTest({ coding: [{ system: 'http://loinc.org', code: '62292-8', display: '25-Hydroxyvitamin D3' }] })).toEqual({ kind: 'ehr', text: '25-Hydroxyvitamin D3' });
    expect(describeTest({ coding: [{ system: 'http://loinc.org', code: '62292-8' }] })).toBeUndefined();
    expect(describeTest(undefined)).toBeUndefined();
  });

  it('says nothing when the EHR text only repeats the title already shown', () => {
    expect(describeTest({ text: 'Urine appearance' }, 'Urine appearance')).toBeUndefined();
    expect(describeTest({ text: 'Urine appearance' }, 'Urine look')).toEqual({ kind: 'ehr', text: 'Urine appearance' });
  });
});
