import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../../fixtures';
import { toResultSeries, type ResultSeries } from './observations';
import { describeTest } from './lab-descriptions';
import { explainResult, flagWords, groupResultsByDay, isNewResult, newResults, rangeBar, statusWords, trendWords } from './results-explained';
import { bundleOf, chartOf, ctx } from './testing';

const NOW = Date.parse('2026-11-01T09:00:00Z');
const lab = [{ coding: [{ system: SYSTEMS.obsCategory, code: 'laboratory' }] }];
let n = 0;
function obs(code: string, when: string, extra: Partial<Observation>): Observation {
  return { resourceType: 'Observation', id: `o${n++}`, status: 'final', category: lab, code: { coding: [{ system: 'http://loinc.org', code, display: `Test ${code}` }] }, effectiveDateTime: when, issued: when, ...extra };
}
const mmol = (value: number) => ({ value, unit: 'mmol/L', system: SYSTEMS.ucum, code: 'mmol/L' });
const potassiumRange = [{ low: mmol(3.5), high: mmol(5.1) }];
function seriesOf(...list: Observation[]): ResultSeries[] {
  return toResultSeries(bundleOf(list), ctx, { includeInactive: true });
}

describe('range bar geometry', () => {
  it('puts the band between the limits and the value on it, inside a track with margins', () => {
    const bar = rangeBar(4.3, { low: 3.5, high: 5.1, text: '' })!;
    expect(bar.band.from).toBeGreaterThan(0);
    expect(bar.band.to).toBeLessThan(100);
    expect(bar.marker).toBeGreaterThan(bar.band.from);
    expect(bar.marker).toBeLessThan(bar.band.to);
    expect(bar.marker).toBeCloseTo(50, 0);
  });

  it('keeps a value far above the range on the track, right of the band', () => {
    const bar = rangeBar(12, { low: 3.5, high: 5.1, text: '' })!;
    expect(bar.marker).toBeGreaterThan(bar.band.to);
    expect(bar.marker).toBeLessThanOrEqual(100);
    expect(bar.band.to - bar.band.from).toBeGreaterThan(5);
  });

  it('draws a value below the range left of the band', () => {
    const bar = rangeBar(2.9, { low: 3.5, high: 5.1, text: '' })!;
    expect(bar.marker).toBeLessThan(bar.band.from);
    expect(bar.marker).toBeGreaterThanOrEqual(0);
  });

  it('opens the band to the edge on the side a one-sided range leaves open', () => {
    const onlyHigh = rangeBar(131.5, { high: 100, text: '≤ 100 mg/dL' })!;
    expect(onlyHigh.band).toMatchObject({ from: 0, openLow: true, openHigh: false });
    expect(onlyHigh.marker).toBeGreaterThan(onlyHigh.band.to);
    expect(onlyHigh.lowLabel).toBeUndefined();
    const onlyLow = rangeBar(38.7, { low: 40, text: '≥ 40 mg/dL' })!;
    expect(onlyLow.band).toMatchObject({ to: 100, openLow: false, openHigh: true });
    expect(onlyLow.marker).toBeLessThan(onlyLow.band.from);
  });

  it('draws nothing without a number or without a limit', () => {
    expect(rangeBar(undefined, { low: 1, high: 2, text: '' })).toBeUndefined();
    expect(rangeBar(3, { text: 'Negative' })).toBeUndefined();
    expect(rangeBar(3, undefined)).toBeUndefined();
    expect(rangeBar(Number.NaN, { low: 1, high: 2, text: '' })).toBeUndefined();
  });

  it('labels the limits with the formatter it is given', () => {
    expect(rangeBar(4, { low: 3.5, high: 5.1, text: '' }, (x) => `${x.toFixed(1)}!`)).toMatchObject({ lowLabel: '3.5!', highLabel: '5.1!' });
  });
});

describe('flags, statuses and trends in words', () => {
  it('says which side of the usual range a value is on', () => {
    expect(flagWords({ flag: 'high', numbers: [6], range: { low: 3.5, high: 5.1, text: '' } })).toBe('Higher than the usual range');
    expect(flagWords({ flag: 'low', numbers: [3], range: { low: 3.5, high: 5.1, text: '' } })).toBe('Lower than the usual range');
    expect(flagWords({ flag: 'critical', numbers: [7], range: { low: 3.5, high: 5.1, text: '' } })).toBe('Much higher than the usual range');
    expect(flagWords({ flag: 'critical', numbers: [2], range: { low: 3.5, high: 5.1, text: '' } })).toBe('Much lower than the usual range');
    expect(flagWords({ numbers: [4], range: { low: 3.5, high: 5.1, text: '' } })).toBe('Within the usual range');
    expect(flagWords({ flag: 'abnormal', numbers: [undefined], interpretation: 'Abnormal' })).toBe('Not the usual result (the lab says: Abnormal)');
    expect(flagWords({ numbers: [undefined], range: { text: 'Negative' } })).toBe('The usual result is Negative');
    expect(flagWords({ numbers: [4] })).toMatch(/^No usual range was given/);
  });

  it('says preliminary, corrected, amended and cancelled plainly, and nothing for final', () => {
    expect(statusWords('final')).toBeUndefined();
    expect(statusWords(undefined)).toBeUndefined();
    expect(statusWords('preliminary')).toMatch(/^Preliminary: .*may still change/);
    expect(statusWords('corrected')).toMatch(/^Corrected: /);
    expect(statusWords('amended')).toMatch(/^Amended: /);
    expect(statusWords('cancelled')).toMatch(/^Cancelled: .*not done/);
    expect(statusWords('unknown')).toBe('The lab gave this result no final status');
  });

  it('tells the trend of a repeated test against the time before, at the chart precision', () => {
    const [s] = seriesOf(
      obs('2823-3', '2026-10-01T08:00:00Z', { valueQuantity: mmol(4.2), referenceRange: potassiumRange }),
      obs('2823-3', '2026-10-20T08:00:00Z', { valueQuantity: mmol(5.64), referenceRange: potassiumRange }),
      obs('2823-3', '2026-10-10T08:00:00Z', { valueQuantity: mmol(5.64), referenceRange: potassiumRange }),
    );
    expect(trendWords(s!, s!.points, s!.points[0]!)).toBe('Same as last time (5.64 mmol/L on 2026-10-10)');
    expect(trendWords(s!, s!.points, s!.points[1]!)).toBe('Up from 4.2 mmol/L on 2026-10-01');
    expect(trendWords(s!, s!.points, s!.points[2]!)).toBeUndefined();
  });
});

describe('results grouped by day and test', () => {
  it('groups newest day first, out-of-range results first within a day, and leaves out entered-in-error', () => {
    const series = seriesOf(
      obs('2951-2', '2026-10-20T08:00:00Z', { valueQuantity: mmol(140), referenceRange: [{ low: mmol(136), high: mmol(145) }] }),
      obs('2823-3', '2026-10-20T08:05:00Z', { valueQuantity: mmol(5.9), referenceRange: potassiumRange }),
      obs('2823-3', '2026-09-01T08:00:00Z', { valueQuantity: mmol(4.4), referenceRange: potassiumRange }),
      obs('2160-0', '2026-10-25T08:00:00Z', { status: 'entered-in-error', valueQuantity: { value: 9, unit: 'mg/dL' } }),
    );
    const days = groupResultsByDay(series, null, NOW);
    expect(days.map((d) => d.day)).toEqual(['2026-10-20', '2026-09-01']);
    expect(days[0]!.results.map((r) => [r.series.label, r.flagWords])).toEqual([['Potassium', 'Higher than the usual range'], ['Sodium', 'Within the usual range']]);
    expect(days[0]!.results[0]!.trendWords).toBe('Up from 4.4 mmol/L on 2026-09-01');
    // What the test measures is for the one result page only (explainResult with describeTest).
    expect(days[0]!.results[0]!.description).toBeUndefined();
    const potassium = series.find((s) => s.key.endsWith('|2823-3'))!;
    expect(explainResult(potassium, potassium.points[0]!, null, NOW, undefined, describeTest).description).toMatchObject({ kind: 'curated', loinc: '2823-3' });
  });

  it('counts results issued since the last look as new; on a first look, those of the last two weeks', () => {
    const fresh = { state: 'active' as const, issued: '2026-10-30T08:00:00Z' };
    expect(isNewResult(fresh, null, NOW)).toBe(true);
    expect(isNewResult({ ...fresh, issued: '2026-10-01T08:00:00Z' }, null, NOW)).toBe(false);
    expect(isNewResult(fresh, '2026-10-31T00:00:00Z', NOW)).toBe(false);
    expect(isNewResult(fresh, '2026-10-29T00:00:00Z', NOW)).toBe(true);
    expect(isNewResult({ ...fresh, state: 'inactive' }, null, NOW)).toBe(false);
    expect(isNewResult({ state: 'active', date: '2026-10-30T08:00:00Z' }, null, NOW)).toBe(true);
    expect(isNewResult({ state: 'active' }, null, NOW)).toBe(false);
  });

  it('lists only the new results, out of range first', () => {
    const series = seriesOf(
      obs('2951-2', '2026-10-30T08:00:00Z', { valueQuantity: mmol(140), referenceRange: [{ low: mmol(136), high: mmol(145) }] }),
      obs('2823-3', '2026-10-30T08:05:00Z', { valueQuantity: mmol(5.9), referenceRange: potassiumRange }),
      obs('2823-3', '2026-09-01T08:00:00Z', { valueQuantity: mmol(4.4), referenceRange: potassiumRange }),
    );
    expect(newResults(series, null, NOW).map((r) => `${r.series.label} ${r.point.text}`)).toEqual(['Potassium 5.9 mmol/L', 'Sodium 140 mmol/L']);
  });
});

describe('the messy patient pat-030, explained truthfully', () => {
  const series = toResultSeries(bundleOf(chartOf('pat-030').of('Observation')), ctx, { includeInactive: true }).filter((s) => s.category === 'laboratory');
  const latest = (code: string) => {
    const s = series.find((x) => x.key === `http://loinc.org|${code}`)!;
    return explainResult(s, s.points[0]!, null, NOW);
  };

  it('shows a value sent as a limit as sent, undrawn, and says it is a limit', () => {
    const crp = latest('1988-5');
    expect(crp.point.text).toBe('<5 mg/L');
    expect(crp.bar).toBeUndefined();
    expect(crp.valueNote).toBe('The lab reported a limit rather than an exact number.');
  });

  it('draws a one-sided range open on its other side, at the precision of the chart', () => {
    const ldl = latest('18262-6');
    expect(ldl.point.text).toBe('131.5 mg/dL');
    expect(ldl.flagWords).toBe('Higher than the usual range');
    expect(ldl.bar).toMatchObject({ band: { openLow: true }, highLabel: '100' });
    expect(latest('2085-9').flagWords).toBe('Lower than the usual range');
  });

  it('says a preliminary, a corrected and a cancelled result are so', () => {
    expect(latest('2571-8').statusWords).toMatch(/^Preliminary/);
    expect(latest('3016-3').statusWords).toMatch(/^Corrected/);
    const cancelled = latest('4548-4');
    expect(cancelled.statusWords).toMatch(/^Cancelled/);
    expect(cancelled.bar).toBeUndefined();
  });

  it('says when a number came with no unit, and compares a coded value with a text range in words', () => {
    const alt = latest('1742-6');
    expect(alt.point.text).toBe('31');
    expect(alt.valueNote).toBe('The lab sent no unit with this number.');
    expect(alt.flagWords).toBe('Within the usual range');
    expect(latest('5792-7').flagWords).toBe('The usual result is Negative');
  });

  it('does not pick between population-specific ranges to draw a bar', () => {
    const ferritin = latest('2276-4');
    expect(ferritin.bar).toBeUndefined();
    expect(ferritin.flagWords).toMatch(/^Usual ranges given: .*\(Male\); .*\(Female\); this result is not compared with them$/);
  });
});
