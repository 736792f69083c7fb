/**
 * Shapes Epic, Oracle Health and lab interfaces send that tidy data never does, each read as a
 * clinician would. Every case failed on the composition before it was fixed.
 */
import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { calendarDay, formatName } from './datatypes';
import { latestPoint, mergeSeries, toResultSeries } from './observations';
import { groupResultsByDay, trendWords } from './results-explained';
import { toAllergyList, toPatientHeader, toProblemList } from './summary';
import { toMedicationList } from './medications';
import { nameOfResource } from './people';
import { MESSY_PATIENTS, VENDOR_SHAPED_OLD_NAME, VENDOR_SHAPED_PATIENT_ID } from '../../../fixtures';
import { bundleOf, chartOf, ctx } from './testing';

const LOINC = 'http://loinc.org';
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const lab = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }];
const glucose = { coding: [{ system: LOINC, code: '2345-7', display: 'Glucose' }] };
const normal = { low: { value: 70, unit: 'mg/dL' }, high: { value: 99, unit: 'mg/dL' } };

function obs(id: string, extra: Record<string, unknown>): Resource {
  return { resourceType: 'Observation', id, status: 'final', category: lab, code: glucose, effectiveDateTime: '2026-01-02T09:00:00Z', ...extra } as Resource;
}
const pointOf = (extra: Record<string, unknown>) => latestPoint(toResultSeries(bundleOf([obs('o1', extra)]), ctx)[0]!)!;

describe('interpretation: every coding is read, the standard one first', () => {
  it('takes a critical flag sent after a local code', () => {
    const p = pointOf({
      valueQuantity: { value: 450, unit: 'mg/dL' },
      referenceRange: [normal],
      interpretation: [{ coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.798268.11', code: '9' }, { system: V3, code: 'HH' }], text: 'Critical High' }],
    });
    expect(p).toMatchObject({ flag: 'critical', flagSource: 'reported', interpretation: 'Critical High' });
  });

  it('reads the lab’s words when no coding is in HL7’s systems', () => {
    const words = (text: string | undefined, display?: string) =>
      pointOf({ valueQuantity: { value: 3, unit: 'ng/mL' }, interpretation: [{ coding: [{ system: 'urn:oid:1.2.3', code: '9', ...(display ? { display } : {}) }], ...(text ? { text } : {}) }] });
    expect(words('Critical High')).toMatchObject({ flag: 'critical', flagSource: 'reported' });
    expect(words('critically low')).toMatchObject({ flag: 'critical' });
    expect(words('PANIC')).toMatchObject({ flag: 'critical' });
    expect(words(undefined, 'Crit High')).toMatchObject({ flag: 'critical' });
    expect(words('Above high normal')).toMatchObject({ flag: 'high' });
    expect(words('Low')).toMatchObject({ flag: 'low' });
    expect(words('Abnormal')).toMatchObject({ flag: 'abnormal' });
    // Words that are not a judgement, or only partly one, are shown but never read as a flag.
    for (const text of ['Normal', 'See comment', 'Not high', 'High sensitivity assay', 'Positive']) expect(words(text).flag).toBeUndefined();
    expect(words('See comment').interpretation).toBe('See comment');
  });

  it('lets a standard code win over the words beside it', () => {
    const p = pointOf({
      valueQuantity: { value: 120, unit: 'mg/dL' },
      referenceRange: [normal],
      interpretation: [{ coding: [{ system: V3, code: 'H' }], text: 'Critical High' }],
    });
    expect(p.flag).toBe('high');
  });

  it('flags a coded result abnormal when the abnormal code is the second coding', () => {
    const p = pointOf({
      valueCodeableConcept: { text: 'Detected' },
      interpretation: [{ coding: [{ system: 'urn:oid:1.2.3', code: 'ABN' }, { system: V3, code: 'A', display: 'Abnormal' }] }],
    });
    expect(p.flag).toBe('abnormal');
  });

  it('does not read a local code that happens to spell H as high', () => {
    const p = pointOf({ valueQuantity: { value: 80, unit: 'mg/dL' }, referenceRange: [normal], interpretation: [{ coding: [{ system: 'urn:oid:1.2.3', code: 'H' }] }] });
    expect(p.flag).toBeUndefined();
  });
});

describe('a value sent as a limit is judged against the range', () => {
  it.each([
    ['>', 600, 'high'],
    ['>', 99, 'high'],
    ['>=', 100, 'high'],
    ['<', 70, 'low'],
    ['<=', 60, 'low'],
  ])('%s%d mg/dL against 70–99 is %s', (comparator, value, flag) => {
    const p = pointOf({ valueQuantity: { value, comparator, unit: 'mg/dL' }, referenceRange: [normal] });
    expect(p).toMatchObject({ flag, flagSource: 'range', text: `${comparator}${value} mg/dL` });
    expect(p.numbers).toEqual([undefined]);
  });

  it.each([
    ['>', 98],
    ['<', 99],
    ['>=', 99],
    ['<=', 70],
  ])('%s%d is not flagged: the true value may be within the range', (comparator, value) => {
    expect(pointOf({ valueQuantity: { value, comparator, unit: 'mg/dL' }, referenceRange: [normal] }).flag).toBeUndefined();
  });
});

describe('a reference range of another type is not the normal range', () => {
  it('judges by the normal range when a critical range comes first', () => {
    const p = pointOf({
      valueQuantity: { value: 150, unit: 'mg/dL' },
      referenceRange: [
        { low: { value: 40 }, high: { value: 400 }, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'critical' }] } },
        { ...normal, type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'normal' }] } },
      ],
    });
    expect(p).toMatchObject({ flag: 'high', range: { low: 70, high: 99 } });
  });

  it('never flags by a treatment range alone, and says what it is', () => {
    const p = pointOf({ valueQuantity: { value: 150, unit: 'mg/dL' }, referenceRange: [{ low: { value: 100 }, high: { value: 140 }, type: { text: 'Therapeutic' } }] });
    expect(p.flag).toBeUndefined();
    expect(p.range?.low).toBeUndefined();
    expect(p.range?.text).toBe('100–140 (Therapeutic)');
  });
});

describe('points in another unit are not drawn or compared on one scale', () => {
  const temp = (id: string, date: string, value: number, code: string) =>
    ({ resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: LOINC, code: '8310-5' }] }, effectiveDateTime: date, valueQuantity: { value, system: 'http://unitsofmeasure.org', code } }) as Resource;

  it('keeps the newest point’s unit for the series and leaves the other unit’s numbers out', () => {
    const [series] = toResultSeries(bundleOf([temp('old', '2026-01-02', 98.6, '[degF]'), temp('new', '2026-01-03', 37.0, 'Cel')]), ctx);
    expect(series!.unit).toBe('°C');
    expect(series!.points.map((p) => [p.text, p.numbers[0]])).toEqual([['37.0 °C', 37], ['98.6 °F', undefined]]);
    expect(trendWords(series!, series!.points, series!.points[0]!)).toBeUndefined();
  });

  it('does the same across pages merged into one series', () => {
    const a = toResultSeries(bundleOf([temp('new', '2026-01-03', 37.2, 'Cel')]), ctx)[0]!;
    const b = toResultSeries(bundleOf([temp('old', '2026-01-02', 99.1, '[degF]')]), ctx)[0]!;
    const merged = mergeSeries([b, a])!;
    expect(merged.unit).toBe('°C');
    expect(merged.points.map((p) => p.numbers[0])).toEqual([37.2, undefined]);
  });
});

describe('allergies: a statement that there are none is not an allergy', () => {
  const allergy = (id: string, code: Record<string, unknown>) => ({ resourceType: 'AllergyIntolerance', id, clinicalStatus: { coding: [{ code: 'active' }] }, code, patient: { reference: 'Patient/p1' } }) as Resource;

  it.each([
    ['No known allergy', { coding: [{ system: 'http://snomed.info/sct', code: '716186003' }], text: 'No Known Allergies' }],
    ['No known drug allergy', { coding: [{ system: 'http://snomed.info/sct', code: '409137002', display: 'No known drug allergy' }] }],
    ['text only', { text: 'No Known Allergies' }],
    ['under an EHR’s local code', { coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.2.767111', code: '1', display: 'No Known Allergies' }], text: 'No Known Allergies' }],
  ])('%s', (_label, code) => {
    const list = toAllergyList(bundleOf([allergy('nka', code), allergy('pen', { text: 'Penicillin' })]), ctx);
    expect(list.map((i) => i.title)).toEqual(['Penicillin']);
  });
});

it('keeps an allergy whose standard code names a substance, whatever its text says', () => {
  const odd = { resourceType: 'AllergyIntolerance', id: 'x', patient: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://snomed.info/sct', code: '764146007' }], text: 'No known allergy to anything but penicillin' } } as Resource;
  expect(toAllergyList(bundleOf([odd]), ctx)).toHaveLength(1);
});

describe('problems: a condition with an abatement and no clinical status has ended', () => {
  it('is not listed as active', () => {
    const list = toProblemList(bundleOf([
      { resourceType: 'Condition', id: 'c1', code: { text: 'Fracture of wrist' }, subject: { reference: 'Patient/p1' }, onsetDateTime: '2020-01-01', abatementDateTime: '2020-03-01' } as Resource,
      { resourceType: 'Condition', id: 'c2', code: { text: 'Asthma' }, subject: { reference: 'Patient/p1' }, onsetDateTime: '2010-01-01' } as Resource,
    ]), ctx);
    expect(list.map((i) => i.title)).toEqual(['Asthma']);
  });
});

describe('problems: the recorded date is not the onset', () => {
  const condition = (extra: Record<string, unknown>) =>
    toProblemList(bundleOf([{ resourceType: 'Condition', id: 'c1', code: { text: 'Asthma' }, subject: { reference: 'Patient/p1' }, ...extra } as Resource]), ctx)[0]!;

  it('says since the onset the source gives in words or as an age', () => {
    expect(condition({ onsetString: 'childhood', recordedDate: '2023-05-01' }).detail).toBe('Since childhood');
    expect(condition({ onsetAge: { value: 7, unit: 'years' }, recordedDate: '2023-05-01' }).detail).toBe('Since age 7 years');
    expect(condition({ onsetDateTime: '2019-03-04', recordedDate: '2023-05-01' }).detail).toBe('Since 2019-03-04');
  });

  it('calls a recorded date recorded', () => {
    const c = condition({ recordedDate: '2023-05-01' });
    expect(c.detail).toBe('Recorded 2023-05-01');
    expect(c.date).toBe('2023-05-01');
  });
});

describe('names: the one in use, not an old one', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  it('skips an old name and a name whose period has ended', () => {
    expect(formatName([{ use: 'old', family: 'Smith', given: ['Jane'] }, { use: 'usual', family: 'Jones', given: ['Jane'] }], now)).toBe('Jane Jones');
    expect(formatName([
      { use: 'official', family: 'Smith', given: ['Jane'], period: { end: '2010-01-01' } },
      { use: 'official', family: 'Jones', given: ['Jane'], period: { start: '2010-01-01' } },
    ], now)).toBe('Jane Jones');
    expect(formatName([{ use: 'nickname', given: ['JJ'] }, { family: 'Jones', given: ['Jane'] }], now)).toBe('Jane Jones');
  });

  it('still names someone whose only name is marked old', () => {
    expect(formatName([{ use: 'old', family: 'Smith', given: ['Jane'] }], now)).toBe('Jane Smith');
  });

  it('names a practitioner by the name in use too', () => {
    expect(nameOfResource({ resourceType: 'Practitioner', id: 'x', name: [{ use: 'old', family: 'Former', given: ['Ana'] }, { use: 'official', family: 'Current', given: ['Ana'], prefix: ['Dr.'] }] })).toBe('Dr. Ana Current');
    expect(nameOfResource({ resourceType: 'Practitioner', id: 'x', name: [{ family: 'Former', given: ['Ana'], period: { end: '2001-01-01' } }, { family: 'Current', given: ['Ana'] }] })).toBe('Ana Current');
  });
});

describe('the banner identifier is the medical record number', () => {
  const header = (identifier: unknown[]) => toPatientHeader({ resourceType: 'Patient', id: 'p1', identifier } as never, ctx, new Date('2026-06-01T00:00:00Z')).identifier;

  it('finds an MRN named in type.text only, as Epic sends it', () => {
    expect(header([{ type: { text: 'CEID' }, value: 'FHRWB2BBPBN6MGS' }, { type: { text: 'EPI' }, value: 'E1234' }, { type: { text: 'MRN' }, value: '203713' }])).toEqual({ label: 'MRN', value: '203713' });
  });

  it('never shows a login or an internal id in place of one', () => {
    expect(header([{ type: { text: 'MYCHARTLOGIN' }, value: 'jane.jones' }, { type: { text: 'INTERNAL' }, value: ' Z123' }, { type: { text: 'CEID' }, value: 'FHRWB2' }])).toBeUndefined();
  });

  it('keeps the coded MR first', () => {
    expect(header([{ type: { text: 'Other' }, value: 'x' }, { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], text: 'Medical Record Number' }, value: 'MRN-1' }])).toEqual({ label: 'Medical Record Number', value: 'MRN-1' });
  });
});

describe('the sandbox’s vendor-shaped patient (pat-033) reads as a clinician would', () => {
  const chart = chartOf(VENDOR_SHAPED_PATIENT_ID);
  const facts = MESSY_PATIENTS.find((p) => p.id === VENDOR_SHAPED_PATIENT_ID)!;
  const series = toResultSeries(bundleOf(chart.of('Observation')), ctx);
  const latest = (code: string) => latestPoint(series.find((s) => s.key === `${LOINC}|${code}`)!)!;

  it('names the patient by the name in use, with the MRN', () => {
    const header = toPatientHeader(chart.patient, ctx, new Date('2026-06-01T00:00:00Z'));
    expect(header.name).toBe(facts.display);
    expect(header.name).not.toBe(VENDOR_SHAPED_OLD_NAME);
    expect(header.identifier).toEqual({ label: 'MRN', value: facts.mrn });
  });

  it('lists no allergy, and the main problem since childhood', () => {
    expect(toAllergyList(bundleOf(chart.of('AllergyIntolerance')), ctx)).toEqual([]);
    expect(toProblemList(bundleOf(chart.of('Condition')), ctx).find((p) => p.title === facts.problem)?.detail).toBe('Since childhood');
  });

  it('flags the critical glucose, the bilirubin above the range and the potassium by its normal range', () => {
    expect(latest('2339-0')).toMatchObject({ flag: 'critical', flagSource: 'reported' });
    expect(latest('1975-2')).toMatchObject({ flag: 'high', text: '>20 mg/dL' });
    expect(latest('2823-3')).toMatchObject({ flag: 'high', range: { low: 3.5, high: 5.1 } });
  });

  it('flags the troponin the lab judged critical only in its own code and in words', () => {
    expect(latest('10839-9')).toMatchObject({ flag: 'critical', flagSource: 'reported', interpretation: 'Critical High' });
  });

  it('groups vital signs by their own LOINC code though Epic’s flowsheet code and the generic “Vital signs” come first', () => {
    const vitals = series.filter((s) => s.category === 'vital-signs');
    expect(vitals.map((s) => s.key)).toContain(`${LOINC}|85354-9`);
    expect(vitals.some((s) => s.key.includes('8716-3') || s.key.startsWith('urn:oid'))).toBe(false);
    const bp = vitals.find((s) => s.key === `${LOINC}|85354-9`)!;
    expect(bp.label).toBe('Blood pressure');
    expect(bp.searchCode).toBe(`${LOINC}|85354-9`);
  });

  it('keeps the temperature taken in °F off the °C scale', () => {
    const temperature = series.find((s) => s.key === `${LOINC}|8310-5`)!;
    expect(temperature.unit).toBe('°C');
    const fahrenheit = temperature.points.find((p) => p.unit === '°F')!;
    expect(fahrenheit.text).toBe('99.1 °F');
    expect(fahrenheit.numbers).toEqual([undefined]);
    expect(temperature.points.filter((p) => p.numbers[0] !== undefined).every((p) => p.numbers[0]! < 42)).toBe(true);
  });
});

describe('a result sent in UTC is filed under the reader’s day', () => {
  it('gives the day in the time zone for an instant, and the written day for a date or a time without offset', () => {
    expect(calendarDay('2026-03-02T01:30:00Z', 'America/New_York')).toBe('2026-03-01');
    expect(calendarDay('2026-03-02T01:30:00Z', 'Asia/Kolkata')).toBe('2026-03-02');
    expect(calendarDay('2026-03-01T20:30:00-05:00', 'Asia/Kolkata')).toBe('2026-03-02');
    expect(calendarDay('2026-03-02T01:30:00Z')).toBe('2026-03-02');
    expect(calendarDay('2026-03-02', 'America/New_York')).toBe('2026-03-02');
    expect(calendarDay('2026-03', 'America/New_York')).toBe('2026-03');
    expect(calendarDay('2026-03-02T01:30:00', 'America/New_York')).toBe('2026-03-02');
    expect(calendarDay('2026-03-02T01:30:00Z', 'Not/AZone')).toBe('2026-03-02');
    expect(calendarDay('soon', 'UTC')).toBeUndefined();
  });

  it('groups results and words the trend by that day', () => {
    const series = toResultSeries(bundleOf([
      obs('late', { effectiveDateTime: '2026-03-02T01:30:00Z', valueQuantity: { value: 120, unit: 'mg/dL' } }),
      obs('early', { effectiveDateTime: '2026-02-20T15:00:00Z', valueQuantity: { value: 90, unit: 'mg/dL' } }),
    ]), ctx);
    const days = groupResultsByDay(series, null, Date.parse('2026-03-03T12:00:00Z'), 'America/New_York');
    expect(days.map((d) => d.day)).toEqual(['2026-03-01', '2026-02-20']);
    expect(days[0]!.results[0]!.trendWords).toBe('Up from 90 mg/dL on 2026-02-20');
    expect(groupResultsByDay(series, null, Date.parse('2026-03-03T12:00:00Z')).map((d) => d.day)).toEqual(['2026-03-02', '2026-02-20']);
  });
});

describe('a prescription whose dosage comes in parts, as Synthea-made sandboxes send it', () => {
  const request = (dosageInstruction: unknown[]) => toMedicationList(bundleOf([{ resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, medicationCodeableConcept: { text: 'Lisinopril 10 MG Oral Tablet' }, dosageInstruction } as Resource]), ctx)[0]!;

  it('says the dose, route, timing and as needed in words', () => {
    expect(request([{ sequence: 1, timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }], route: { text: 'by mouth' } }]).detail).toBe('1 tablet, by mouth, once a day');
    expect(request([{ timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } }, asNeededBoolean: true }]).detail).toBe('twice a day, as needed');
    expect(request([{ timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h' } }, asNeededCodeableConcept: { text: 'pain' } }]).detail).toBe('every 8 hours, as needed for pain');
    expect(request([{ timing: { repeat: { frequency: 1, period: 2, periodUnit: 'wk' } } }]).detail).toBe('once every 2 weeks');
    expect(request([{ timing: { code: { text: 'BID' } } }]).detail).toBe('BID');
    expect(request([{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1 } }], asNeededBoolean: false }]).detail).toBe('1 dose, once a day');
    expect(request([{ doseAndRate: [{ doseQuantity: { value: 2 } }] }]).detail).toBe('2 doses');
  });

  it('keeps a written instruction, and says each step of a taper', () => {
    expect(request([{ text: 'Take 1 tablet daily', timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } } }]).detail).toBe('Take 1 tablet daily');
    expect(request([{ text: '40 mg daily for 5 days' }, { text: '20 mg daily for 5 days' }]).detail).toBe('40 mg daily for 5 days; then 20 mg daily for 5 days');
    expect(request([{}]).detail).toBeUndefined();
  });
});
