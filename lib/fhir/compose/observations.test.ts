import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { BIG_PATIENT_ID, FIXTURE_PATIENTS, LABS, SYSTEMS, VITALS } from '../../../fixtures';
import { latestPoint, mergeSeries, sparklineOf, toResultSeries } from './observations';
import { bundleOf, ctx, observationsIn } from './testing';

const ada = FIXTURE_PATIENTS[0]!;
const otto = FIXTURE_PATIENTS[3]!; // chronic kidney disease: creatinine drifts above range

describe('laboratory series on the seeded patients', () => {
  it('groups one series per LOINC code with range, interpretation and provenance', () => {
    const series = toResultSeries(bundleOf(observationsIn(ada.id, 'laboratory')), ctx);
    expect(series.map((s) => s.searchCode).sort()).toEqual(LABS.map((l) => `${SYSTEMS.loinc}|${l.loinc}`).sort());
    for (const s of series) {
      expect(s.category).toBe('laboratory');
      expect(s.points).toHaveLength(5);
      const dates = s.points.map((p) => p.date ?? '');
      expect([...dates].sort().reverse()).toEqual(dates);
      expect(s.points.every((p) => p.range && p.range.low !== undefined && p.range.high !== undefined && p.numbers[0] !== undefined)).toBe(true);
      expect(s.points.every((p) => p.provenance.resourceType === 'Observation')).toBe(true);
    }
  });

  it('takes the flag the source reported, consistent with the reference range', () => {
    const creatinine = toResultSeries(bundleOf(observationsIn(otto.id, 'laboratory')), ctx).find((s) => s.searchCode?.endsWith('|2160-0'))!;
    const latest = latestPoint(creatinine)!;
    expect(latest.flag).toBe('high');
    expect(latest.flagSource).toBe('reported');
    expect(latest.numbers[0]!).toBeGreaterThan(latest.range!.high!);
    expect(latest.text).toMatch(/^\d+(\.\d+)? mg\/dL$/);
  });

  it(`puts every draw of the big patient ${BIG_PATIENT_ID} (a decade of draws) in its lab's series`, () => {
    const labs = observationsIn(BIG_PATIENT_ID, 'laboratory');
    expect(labs.length).toBeGreaterThan(4000);
    // How long it takes is measured by bench/result-series.ts, against a baseline; here, what it gives.
    const series = toResultSeries(bundleOf(labs), ctx);
    expect(series).toHaveLength(LABS.length);
    expect(series.reduce((n, s) => n + s.points.length, 0)).toBe(labs.length);
  });
});

describe('vital signs', () => {
  it('shows blood pressure as systolic/diastolic with two trend lines', () => {
    const series = toResultSeries(bundleOf(observationsIn(ada.id, 'vital-signs')), ctx);
    const bp = series.find((s) => s.searchCode === `${SYSTEMS.loinc}|${VITALS.bloodPressure.loinc}`)!;
    expect(bp.lines).toEqual(['Systolic', 'Diastolic']);
    expect(latestPoint(bp)!.text).toMatch(/^\d+\/\d+ mmHg$/);
    const [systolic, diastolic] = sparklineOf(bp);
    expect(systolic).toHaveLength(5);
    expect(systolic!.every((s, i) => s > diastolic![i]!)).toBe(true);
    expect(series.find((s) => s.searchCode?.endsWith(`|${VITALS.heartRate.loinc}`))?.unit).toBe('beats/minute');
  });
});

describe('vendor variation', () => {
  const obs = (id: string, extra: Record<string, unknown>) => ({ resourceType: 'Observation', id, status: 'final', code: { text: 'Thing' }, effectiveDateTime: `2026-01-0${id}`, ...extra }) as Resource;

  it.each([
    ['a string', { valueString: 'Positive' }, 'Positive', undefined],
    ['a boolean', { valueBoolean: false }, 'No', undefined],
    ['an integer', { valueInteger: 7 }, '7', 7],
    ['a coded value', { valueCodeableConcept: { coding: [{ code: 'POS', display: 'Detected' }] } }, 'Detected', undefined],
    ['a comparator', { valueQuantity: { value: 5, comparator: '<', unit: 'mg/L' } }, '<5 mg/L', undefined],
    ['a range', { valueRange: { low: { value: 1, unit: 'g' }, high: { value: 2, unit: 'g' } } }, '1–2 g', undefined],
    ['a ratio', { valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } }, '1 / 128', undefined],
    ['a period', { valuePeriod: { start: '2026-01-01' } }, '2026-01-01 – ongoing', undefined],
    ['sampled data', { valueSampledData: { data: '1 2 3' } }, 'Sampled data (3 points)', undefined],
    ['a time', { valueTime: '08:30:00' }, '08:30:00', undefined],
    ['an absent value', { dataAbsentReason: { text: 'Patient refused' } }, 'No value (patient refused)', undefined],
    ['nothing', {}, 'No value', undefined],
  ])('reads value[x] as %s', (_name, extra, text, number) => {
    const p = latestPoint(toResultSeries(bundleOf([obs('1', extra)]), ctx)[0]!)!;
    expect(p.text).toBe(text);
    expect(p.numbers[0]).toBe(number);
  });

  it('works the flag out from the reference range when the source gives no interpretation', () => {
    const p = latestPoint(toResultSeries(bundleOf([obs('1', { valueQuantity: { value: 9 }, referenceRange: [{ low: { value: 1 }, high: { value: 5 } }] })]), ctx)[0]!)!;
    expect(p).toMatchObject({ flag: 'high', flagSource: 'range', range: { low: 1, high: 5, text: '1–5' } });
  });

  it('maps interpretation codes, including critical ones, and keeps unknown codes as text', () => {
    const flags = ['HH', 'LL', 'L', 'A', 'N', 'WEIRD'].map((code, i) => latestPoint(toResultSeries(bundleOf([obs(String(i + 1), { valueQuantity: { value: 1 }, interpretation: [{ coding: [{ code }] }] })]), ctx)[0]!)!);
    expect(flags.map((p) => p.flag)).toEqual(['critical', 'critical', 'low', 'abnormal', undefined, undefined]);
    expect(flags[5]!.interpretation).toBe('WEIRD');
  });

  it('groups text-only codes by text, and hides entered-in-error and cancelled points unless asked', () => {
    const list = [obs('1', { valueInteger: 1 }), obs('2', { valueInteger: 2, status: 'entered-in-error' }), obs('3', { valueInteger: 3, status: 'cancelled' })];
    const [series] = toResultSeries(bundleOf(list), ctx);
    expect(series).toMatchObject({ key: 'text:thing', title: 'Thing' });
    expect(series!.searchCode).toBeUndefined();
    expect(series!.points.map((p) => p.text)).toEqual(['1']);
    const all = toResultSeries(bundleOf(list), ctx, { includeInactive: true })[0]!;
    expect(all.points.map((p) => p.state)).toEqual(['inactive', 'entered-in-error', 'active']);
  });

  it('uses lastUpdated, else issued, else the effective date as the arrival time', () => {
    const a = latestPoint(toResultSeries(bundleOf([obs('1', { meta: { lastUpdated: '2026-02-01T00:00:00Z' }, issued: '2026-01-15T00:00:00Z' })]), ctx)[0]!)!;
    const b = latestPoint(toResultSeries(bundleOf([obs('1', { issued: '2026-01-15T00:00:00Z' })]), ctx)[0]!)!;
    const c = latestPoint(toResultSeries(bundleOf([obs('1', {})]), ctx)[0]!)!;
    expect([a.arrivedAt, b.arrivedAt, c.arrivedAt]).toEqual(['2026-02-01T00:00:00Z', '2026-01-15T00:00:00Z', '2026-01-01']);
  });
});

describe('history requests', () => {
  it('search by the bare code, which the proxy accepts, and keep the system for filtering', async () => {
    const { resultHistoryRequest } = await import('./sections');
    const { parseFhirRequest } = await import('../parse-request');
    const path = resultHistoryRequest(`${SYSTEMS.loinc}|2160-0`);
    expect(path).toBe('Observation?code=2160-0&_sort=-date&_count=100');
    const [type, query] = path.split('?') as [string, string];
    expect(parseFhirRequest('GET', [type], new URLSearchParams(query)).query.get('code')).toBe('2160-0');
  });
});

describe('merging pages of one series', () => {
  it('re-aligns component numbers by line name, drops repeats and keeps each page fetch time', () => {
    const comp = (code: string, value: number) => ({ code: { text: code }, valueQuantity: { value, unit: 'mmHg' } });
    const bp = (id: string, date: string, components: unknown[]) => ({ resourceType: 'Observation', id, status: 'final', code: { text: 'BP' }, effectiveDateTime: date, component: components }) as Resource;
    const page1 = toResultSeries(bundleOf([bp('1', '2026-02-01', [comp('Sys', 140), comp('Dia', 90)])]), { ...ctx, fetchedAt: 'T1' })[0]!;
    const page2 = toResultSeries(bundleOf([bp('2', '2026-01-01', [comp('Dia', 80), comp('Sys', 130)]), bp('1', '2026-02-01', [comp('Sys', 140), comp('Dia', 90)])]), { ...ctx, fetchedAt: 'T2' })[0]!;
    const merged = mergeSeries([page1, page2])!;
    expect(merged.lines).toEqual(['Sys', 'Dia']);
    expect(merged.points.map((p) => [p.provenance.id, p.numbers, p.provenance.fetchedAt])).toEqual([['1', [140, 90], 'T1'], ['2', [130, 80], 'T2']]);
    expect(mergeSeries([])).toBeUndefined();
  });
});
