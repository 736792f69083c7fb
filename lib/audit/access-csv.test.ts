import { describe, expect, it } from 'vitest';
import { accessVisitsCsv, csvCell, localTime, safeTimeZone } from './access-csv';
import type { AccessVisit } from './access-visits';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+2', `"'+1+2"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    ['Dr. Quinn Placebo, your GP', '"Dr. Quinn Placebo, your GP"'],
    ['say "hi"', '"say ""hi"""'],
    ['a=b', '"a=b"'],
  ])('%j → %s', (input, out) => {
    expect(csvCell(input)).toBe(out);
  });
  it('quotes numbers and booleans too', () => {
    expect(csvCell(3)).toBe('"3"');
    expect(csvCell(-1)).toBe(`"'-1"`);
  });
});

describe('safeTimeZone', () => {
  it('keeps a zone the runtime knows and falls back to UTC otherwise', () => {
    expect(safeTimeZone('Pacific/Auckland')).toBe('Pacific/Auckland');
    expect(safeTimeZone('Mars/Olympus')).toBe('UTC');
    expect(safeTimeZone('')).toBe('UTC');
    expect(safeTimeZone(null)).toBe('UTC');
  });
});

describe('accessVisitsCsv', () => {
  const visit: AccessVisit = {
    id: 'e1', start: '2026-03-01T09:00:00.000Z', end: '2026-03-01T09:03:00.000Z', who: '=cmd|" /C calc"!A0, your GP', self: false, looked: 'your allergies', did: ['opened your record from the EHR'],
    emergency: true, refused: 1, withheld: 0, byChoices: false,
    steps: [{ words: 'looked through your allergies', when: '2026-03-01T09:03:00.000Z', times: 2, outcome: 'allowed', breakGlass: true }],
  };
  it('writes one row per visit in the patient\'s time zone, every cell quoted and formulas neutralised', () => {
    const csv = accessVisitsCsv([visit], 'Pacific/Auckland');
    const lines = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('"Started","Ended","Time zone","Started (UTC)","Who","Looked at","Also","Emergency access","Refused","Withheld by your sharing choices","Steps"');
    expect(lines[1]).toBe(`"1 Mar 2026, 22:00","1 Mar 2026, 22:03","Pacific/Auckland","2026-03-01T09:00:00.000Z","'=cmd|"" /C calc""!A0, your GP","your allergies","opened your record from the EHR","yes","1","0","looked through your allergies (2 times)"`);
    expect(lines[2]).toBe('');
    expect(localTime(visit.start, 'UTC')).toBe('1 Mar 2026, 09:00');
  });
});
