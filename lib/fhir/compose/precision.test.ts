import { describe, expect, it } from 'vitest';
import { decimalsFor, showNumber, sourceDecimals } from './precision';

describe('the precision policy (issue 13)', () => {
  it.each([
    // [value, LOINC, category, shown]
    [117.53982681431327, '8480-6', 'vital-signs', '118'], // systolic
    [78.29818281324464, '8462-4', 'vital-signs', '78'], // diastolic
    [72.4, '8867-4', 'vital-signs', '72'], // heart rate
    [16.6, '9279-1', 'vital-signs', '17'], // respiratory rate
    [97.5, '59408-5', 'vital-signs', '98'], // SpO2
    [37.25, '8310-5', 'vital-signs', '37.3'], // temperature
    [81.349999, '29463-7', 'vital-signs', '81.3'], // weight
    [135.27123004999177, '8302-2', 'vital-signs', '135.3'], // height
    [27.891, '39156-5', 'vital-signs', '27.9'], // BMI
    [70, '29463-7', 'vital-signs', '70.0'], // one decimal even when sent whole
    [2.345, 'x-unknown', 'vital-signs', '2.3'], // other vitals: source precision, at most 1
    [0.74, '2160-0', 'laboratory', '0.74'], // lab: as sent
    [5, '2823-3', 'laboratory', '5'],
    [1.1060593669813574, '72166-2', 'other', '1.106'], // four significant figures
    [251.82711, '777-3', 'laboratory', '251.8'],
    [1234.5, '1234-5', 'laboratory', '1235'],
    [0.0001234567, '1234-5', 'laboratory', '0.0001235'],
    [0.01234, '1234-5', 'laboratory', '0.01234'],
    [0, '1234-5', 'laboratory', '0'],
    [-2.71828, '1234-5', 'laboratory', '-2.718'],
    [12.5, undefined, 'laboratory', '12.5'],
  ] as const)('%s (%s, %s) → %s', (n, code, category, shown) => {
    expect(showNumber(n, decimalsFor(n, code, category)).text).toBe(shown);
  });

  it('counts the decimals the source sent', () => {
    expect([sourceDecimals(120), sourceDecimals(0.74), sourceDecimals(78.29818281324464), sourceDecimals(1e-7), sourceDecimals(1.5e-7)]).toEqual([0, 2, 14, 7, 8]);
  });

  it.each([
    // [value, decimals, limits, shown, has a note]
    [5.94, 1, { high: 5.9 }, '5.94', true], // 5.9 would sit on the limit, not above it
    [5.96, 1, { high: 5.95 }, '6.0', false], // rounds, still above
    [5.949, 1, { high: 5.95 }, '5.9', false], // rounds, still below
    [5.951, 2, { high: 5.95 }, '5.951', true], // 5.95 would sit on the limit
    [3.46, 1, { low: 3.5 }, '3.46', true], // 3.5 would sit on the low limit, not below it
    [120.4, 0, { high: 120 }, '120.4', true],
    [119.6, 0, { high: 120 }, '119.6', true],
    [99.5, 0, { low: 70, high: 99 }, '100', false], // rounds up, still above
    [99.2, 0, { low: 70, high: 99 }, '99.2', true], // 99 would sit on the limit
    [99.4, 0, { low: 70, high: 99 }, '99.4', true],
    [85, 0, { low: 70, high: 99 }, '85', false],
  ] as const)('%s at %s places with %o → %s', (n, d, limits, shown, noted) => {
    const r = showNumber(n, d, limits);
    expect(r.text).toBe(shown);
    expect(!!r.note).toBe(noted);
  });
});
