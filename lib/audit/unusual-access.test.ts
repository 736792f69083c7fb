import { describe, expect, it } from 'vitest';
import { DEFAULT_UNUSUAL_ACCESS_POLICY, findUnusualAccess, lookbackMs, type AccessRow, type EndedLaunchRow } from './unusual-access';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60_000;
const read = (fhirUser: string, patientId: string, minutesAgo: number, extra: Partial<AccessRow> = {}): AccessRow => ({
  recordedAt: NOW - minutesAgo * MIN, patientId, outcome: 'success', category: 'access', fhirUser, issuerId: 'sandbox', ...extra,
});
const patients = (n: number, fhirUser = 'Practitioner/prac-001', minutesAgo = 5) => Array.from({ length: n }, (_, i) => read(fhirUser, `pat-${i}`, minutesAgo));
const ended = (n: number, minutesAgo: number, reason = 'refresh-failed', issuerId = 'sandbox'): EndedLaunchRow[] => Array.from({ length: n }, () => ({ endedAt: NOW - minutesAgo * MIN, endReason: reason, issuerId }));

describe('findUnusualAccess', () => {
  it.each([
    ['20 patients in the hour', patients(20), [{ rule: 'many-patients', actor: 'Practitioner/prac-001', count: 20 }]],
    ['19 patients is not', patients(19), []],
    ['one patient read 50 times is not', Array.from({ length: 50 }, () => read('Practitioner/prac-001', 'pat-1', 1)), []],
    ['two users do not add up', [...patients(10, 'Practitioner/a'), ...patients(10, 'Practitioner/b')], []],
    ['reads older than the hour do not count', [...patients(15), ...patients(10, 'Practitioner/prac-001', 61).map((r) => ({ ...r, patientId: `old-${r.patientId}` }))], []],
    ['refused reads are not access', patients(25).map((r) => ({ ...r, outcome: 'denied' })).slice(0, 9), []],
  ] as const)('%s', (_name, rows, expected) => {
    expect(findUnusualAccess(rows, [], NOW).map(({ rule, actor, count }) => ({ rule, actor, count }))).toEqual(expected);
  });

  it('repeated denials: 10 in ten minutes by one user, not 9, not spread over twenty', () => {
    const denied = (n: number, minutesAgo: (i: number) => number) => Array.from({ length: n }, (_, i) => read('Practitioner/prac-009', 'pat-1', minutesAgo(i), { outcome: 'denied' }));
    expect(findUnusualAccess(denied(10, () => 2), [], NOW)).toEqual([{ rule: 'repeated-denials', issuerId: 'sandbox', actor: 'Practitioner/prac-009', count: 10, windowMinutes: 10 }]);
    expect(findUnusualAccess(denied(9, () => 2), [], NOW)).toEqual([]);
    expect(findUnusualAccess(denied(12, (i) => i * 2), [], NOW)).toEqual([]); // 5 of them inside the window
  });

  it('refresh failures: 5 at one issuer in ten minutes; other endings and other issuers are apart', () => {
    expect(findUnusualAccess([], ended(5, 3), NOW)).toEqual([{ rule: 'refresh-failures', issuerId: 'sandbox', count: 5, windowMinutes: 10 }]);
    expect(findUnusualAccess([], [...ended(4, 3), ...ended(3, 3, 'signed-out'), ...ended(4, 3, 'refresh-failed', 'epic'), ...ended(3, 11)], NOW)).toEqual([]);
  });

  it('every break-glass in the hour is a finding, per user; the most serious rules come first', () => {
    const rows = [
      read('Practitioner/prac-002', 'pat-7', 30, { category: 'break-glass' }),
      read('Practitioner/prac-002', 'pat-8', 20, { category: 'break-glass' }),
      ...patients(21, 'Practitioner/prac-003'),
    ];
    expect(findUnusualAccess(rows, ended(6, 1), NOW).map((f) => [f.rule, f.actor ?? f.issuerId, f.count])).toEqual([
      ['many-patients', 'Practitioner/prac-003', 21],
      ['break-glass', 'Practitioner/prac-002', 2],
      ['refresh-failures', 'sandbox', 6],
    ]);
  });

  it('a caller loads only the rows the longest window needs', () => {
    expect(lookbackMs()).toBe(60 * MIN);
    expect(lookbackMs({ ...DEFAULT_UNUSUAL_ACCESS_POLICY, repeatedDenials: { count: 3, minutes: 90 } })).toBe(90 * MIN);
  });
});
