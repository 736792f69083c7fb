/** Issue 13: the chart reads real-world FHIR as a clinician would. */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { latestPoint, toResultSeries } from './observations';
import { bundleOf, ctx } from './testing';

const LOINC = 'http://loinc.org';
const vitals = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const lab = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const sys = (value: number, system: string | undefined = LOINC) => ({ code: { coding: [{ ...(system ? { system } : {}), code: '8480-6' }] }, valueQuantity: { value, unit: 'mm[Hg]', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });
const dia = (value: number) => ({ code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: { value, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });

function point(extra: Record<string, unknown>) {
  const o = { resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: LOINC, code: '85354-9' }] }, effectiveDateTime: '2026-01-02', ...extra } as Resource;
  const [series] = toResultSeries(bundleOf([o]), ctx);
  return { series: series!, p: latestPoint(series!)! };
}

describe('blood pressure is read by code, never by position', () => {
  it('shows systolic first when the export lists diastolic first, rounded, with mmHg', () => {
    const { series, p } = point({ category: vitals, component: [dia(78.29818281324464), sys(117.53982681431327)] });
    expect(p.text).toBe('118/78 mmHg');
    expect(series.lines).toEqual(['Systolic', 'Diastolic']);
    expect(p.numbers).toEqual([117.53982681431327, 78.29818281324464]);
    expect(series.unit).toBe('mmHg');
    expect(p.sent).toBe('Diastolic blood pressure 78.29818281324464 mm[Hg]; 8480-6 117.53982681431327 mm[Hg]');
  });

  it.each([
    ['the vital-signs panel 85354-9', { coding: [{ system: LOINC, code: '85354-9' }] }],
    ['the US Core panel 55284-4', { coding: [{ system: LOINC, code: '55284-4' }] }],
    ['no panel code at all', { text: 'BP' }],
  ])('under %s', (_name, code) => {
    expect(point({ code, component: [dia(80), sys(120, undefined)] }).p.text).toBe('120/80 mmHg');
  });

  it('says which component is missing, or why', () => {
    expect(point({ component: [sys(120)] }).p.text).toBe('systolic 120 mmHg, diastolic not recorded');
    expect(point({ component: [dia(80)] }).p.text).toBe('systolic not recorded, diastolic 80 mmHg');
    const refused = { code: { coding: [{ system: LOINC, code: '8462-4' }] }, dataAbsentReason: { coding: [{ code: 'asked-declined', display: 'Asked But Declined' }] } };
    expect(point({ component: [refused, sys(121)] }).p.text).toBe('systolic 121 mmHg, diastolic not recorded (asked but declined)');
    expect(point({ component: [], dataAbsentReason: { text: 'Patient refused' } }).p.text).toBe('No value (patient refused)');
    expect(point({ component: [dia(80)] }).p.numbers).toEqual([undefined, 80]);
  });

  it('shows other panels by component name, not as a bare list of numbers', () => {
    const c = (text: string, value: number) => ({ code: { text }, valueQuantity: { value, unit: 'mg/dL' } });
    const { p } = point({ code: { text: 'Lipids' }, component: [c('HDL', 40.26), c('LDL', 120)] });
    expect(p.text).toBe('HDL 40.26 mg/dL · LDL 120 mg/dL');
  });
});

describe('values at clinical precision with human units', () => {
  const quantity = (code: string, category: unknown, value: number, ucum: string, extra: Record<string, unknown> = {}) =>
    point({ code: { coding: [{ system: LOINC, code }] }, category, valueQuantity: { value, system: 'http://unitsofmeasure.org', code: ucum }, ...extra });

  it.each([
    ['8302-2', 135.27123004999177, 'cm', '135.3 cm'],
    ['8310-5', 37.14, 'Cel', '37.1 °C'],
    ['8867-4', 71.6, '/min', '72/min'],
    ['59408-5', 97.2, '%', '97%'],
    ['39156-5', 27.891, 'kg/m2', '27.9 kg/m²'],
    ['29463-7', 180.5, '[lb_av]', '180.5 lb'],
  ])('vital %s %s %s → %s', (code, value, ucum, text) => {
    expect(quantity(code, vitals, value, ucum).p.text).toBe(text);
  });

  it('shows a score without a UCUM annotation and at a sensible precision', () => {
    expect(quantity('72166-2', undefined, 1.1060593669813574, '{score}').p.text).toBe('1.106');
  });

  it('keeps the flag from the unrounded value and shows enough places to agree with it', () => {
    const { p } = quantity('2160-0', lab, 1.3549, 'mg/dL', { referenceRange: [{ high: { value: 1.35, code: 'mg/dL' } }] });
    expect(p.flag).toBe('high');
    expect(p.text).toBe('1.355 mg/dL');
    expect(p.note).toBeUndefined();
    // A heart rate of 100.4 against an upper limit of 100: "100" would not read as high.
    const near = quantity('8867-4', vitals, 100.4, '/min', { referenceRange: [{ low: { value: 60 }, high: { value: 100 } }] });
    expect(near.p.flag).toBe('high');
    expect(near.p.text).toBe('100.4/min');
    expect(near.p.note).toMatch(/other side of the reference limit/);
    expect(quantity('8867-4', vitals, 99.6, '/min', { referenceRange: [{ high: { value: 100 } }] }).p).toMatchObject({ text: '99.6/min' });
    expect(quantity('6690-2', lab, 11.04, '10*3/uL', { referenceRange: [{ low: { value: 4.5 }, high: { value: 11.0 } }] }).p).toMatchObject({ flag: 'high', text: '11.04 ×10³/µL' });
  });

  it('shows an unknown unit as the source wrote it, and the value as sent in the source', () => {
    const { p } = point({ code: { text: 'Widget level' }, valueQuantity: { value: 3.14159, unit: 'widgets' } });
    expect(p.text).toBe('3.142 widgets');
    expect(p.sent).toBe('3.14159 widgets');
  });
});

describe('every kind of value renders sensibly', () => {
  const one = (extra: Record<string, unknown>) => point({ code: { text: 'Thing' }, ...extra }).p;

  it('reads coded, string and boolean results, and absent ones with their reason', () => {
    expect(one({ valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '260385009', display: 'Negative' }] } }).text).toBe('Negative');
    expect(one({ valueCodeableConcept: { text: 'Trace' } }).text).toBe('Trace');
    expect(one({ valueString: 'Clear, yellow' }).text).toBe('Clear, yellow');
    expect(one({ valueBoolean: true }).text).toBe('Yes');
    expect(one({ dataAbsentReason: { coding: [{ code: 'not-performed', display: 'Not Performed' }] } }).text).toBe('No value (not performed)');
  });

  it('takes interpretation codes without a range', () => {
    const p = one({ valueCodeableConcept: { text: 'Positive' }, interpretation: [{ coding: [{ code: 'A', display: 'Abnormal' }] }] });
    expect(p).toMatchObject({ flag: 'abnormal', flagSource: 'reported', interpretation: 'Abnormal' });
    expect(p.range).toBeUndefined();
  });

  it('reads ranges with only low, only high, text only, or for a population', () => {
    const q = { valueQuantity: { value: 2, unit: 'mg/L' } };
    expect(one({ ...q, referenceRange: [{ low: { value: 3, unit: 'mg/L' } }] })).toMatchObject({ flag: 'low', range: { low: 3, text: '≥ 3 mg/L' } });
    expect(one({ ...q, referenceRange: [{ high: { value: 1.5, code: 'mg/L' } }] })).toMatchObject({ flag: 'high', range: { high: 1.5, text: '≤ 1.5 mg/L' } });
    const text = one({ valueString: 'Negative', referenceRange: [{ text: 'Negative' }] });
    expect(text.range).toEqual({ text: 'Negative' });
    expect(text.flag).toBeUndefined();
    const female = one({ ...q, referenceRange: [{ low: { value: 1 }, high: { value: 3 }, appliesTo: [{ text: 'female' }] }] });
    expect(female.range).toEqual({ low: 1, high: 3, text: '1–3 (female)' });
    const both = one({ ...q, referenceRange: [{ low: { value: 24, unit: 'ng/mL' }, high: { value: 336, unit: 'ng/mL' }, appliesTo: [{ text: 'Male' }] }, { low: { value: 11, unit: 'ng/mL' }, high: { value: 307, unit: 'ng/mL' }, appliesTo: [{ text: 'Female' }] }] });
    expect(both.range).toEqual({ text: '24–336 ng/mL (Male); 11–307 ng/mL (Female)' });
    expect(both.flag).toBeUndefined();
    const general = one({ ...q, referenceRange: [{ low: { value: 5 }, high: { value: 9 }, age: { low: { value: 65, unit: 'years' } } }, { low: { value: 1 }, high: { value: 3 } }] });
    expect(general.range).toEqual({ low: 1, high: 3, text: '1–3' });
  });

  it('keeps a reading without an effective date, undated', () => {
    const [series] = toResultSeries(bundleOf([{ resourceType: 'Observation', id: 'x', status: 'final', code: { text: 'Thing' }, valueInteger: 4 } as Resource]), ctx);
    const p = latestPoint(series!)!;
    expect(p.date).toBeUndefined();
    expect(p.text).toBe('4');
  });
});

describe('the messy seed patients read cleanly', () => {
  it('pat-030: whole blood pressures systolic first, clinical precision, human units', async () => {
    const { observationsIn } = await import('./testing');
    const series = toResultSeries(bundleOf(observationsIn('pat-030', 'vital-signs')), ctx);
    const by = (code: string) => series.find((s) => s.searchCode === `${LOINC}|${code}`)!;
    const bp = by('85354-9');
    for (const p of bp.points.filter((x) => x.numbers.every((n) => n !== undefined))) {
      expect(p.text).toMatch(/^\d{2,3}\/\d{2,3} mmHg$/);
      const [s, d] = p.text.split(' ')[0]!.split('/').map(Number);
      expect(s!).toBeGreaterThan(d!);
    }
    expect(bp.points.some((p) => p.text.startsWith('systolic') && p.text.endsWith('diastolic not recorded (not performed)'))).toBe(true);
    expect(latestPoint(by('8867-4'))!.text).toMatch(/^\d+\/min$/);
    expect(latestPoint(by('8310-5'))!.text).toMatch(/^\d+\.\d °C$/);
    expect(latestPoint(by('29463-7'))!.text).toMatch(/^\d+\.\d kg$/);
    expect(latestPoint(by('8302-2'))!.text).toBe('165.3 cm');
    expect(latestPoint(by('39156-5'))!.text).toBe('27.9 kg/m²');
    expect(latestPoint(by('59408-5'))!.text).toBe('97%');
    expect(latestPoint(by('9279-1'))!.text).toBe('16/min');
    const all = series.flatMap((s) => s.points.map((p) => p.text)).join(' | ');
    expect(all).not.toMatch(/mm\[Hg\]|Cel|\{|\d\.\d{2,}/);
    expect(latestPoint(bp)!.performer).toBe('a clinician, name not available');
  });

  it('pat-030: laboratory results with human units, coded, absent and partially ranged values', async () => {
    const { observationsIn } = await import('./testing');
    const series = toResultSeries(bundleOf(observationsIn('pat-030', 'laboratory')), ctx);
    const text = (key: string) => latestPoint(series.find((s) => s.key === key)!)!;
    expect(text(`${LOINC}|6690-2`).text).toMatch(/^\d+\.\d+ ×10³\/µL$/);
    expect(text(`${LOINC}|777-3`).text).toBe('251.8 ×10³/µL');
    expect(text(`${LOINC}|6301-6`).text).toBe('1.106');
    expect(text(`${LOINC}|5792-7`)).toMatchObject({ text: 'Negative', range: { text: 'Negative' } });
    expect(text(`${LOINC}|5196-1`)).toMatchObject({ text: 'Positive', flag: 'abnormal' });
    expect(text(`${LOINC}|2093-3`).text).toBe('No value (specimen hemolysed)');
    expect(text(`${LOINC}|18262-6`)).toMatchObject({ text: '131.5 mg/dL', flag: 'high', flagSource: 'range', range: { text: '≤ 100 mg/dL' } });
    expect(text(`${LOINC}|2085-9`)).toMatchObject({ flag: 'low', range: { text: '≥ 40 mg/dL' } });
    expect(text(`${LOINC}|2276-4`).range?.text).toBe('24–336 ng/mL (Male); 11–307 ng/mL (Female)');
    expect(text('text:urine appearance').text).toBe('Cloudy');
  });
});
