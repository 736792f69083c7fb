import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW } from '../../fixtures/index';
import { SandboxConfigError } from '../config';
import { dateShift, describeDateShift, readSandboxDates, SEED_ANCHOR_DAY, shiftDateValue, utcDay } from './shift';

const DAY_MS = 86_400_000;

describe('dateShift', () => {
  it('counts whole days, calendar months and years from one day to another', () => {
    expect(dateShift('2026-11-01', '2026-12-06')).toEqual({ fromDay: '2026-11-01', toDay: '2026-12-06', days: 35, months: 1, years: 0 });
    expect(dateShift('2026-11-01', '2028-02-29')).toMatchObject({ days: 485, months: 15, years: 2 });
    expect(dateShift('2026-11-01', '2026-10-31')).toMatchObject({ days: -1, months: -1, years: 0 });
    expect(dateShift('2026-11-01', '2026-11-01')).toMatchObject({ days: 0, months: 0, years: 0 });
  });

  it('refuses what is not a calendar day', () => {
    expect(() => dateShift('2026-11-01', '2026-02-30')).toThrow(RangeError);
    expect(() => dateShift('2026-11', '2026-12-01')).toThrow(RangeError);
  });

  it('takes the anchor from FIXTURE_NOW', () => {
    expect(SEED_ANCHOR_DAY).toBe(FIXTURE_NOW.slice(0, 10));
    expect(SEED_ANCHOR_DAY).toBe('2026-11-01');
  });
});

describe('shiftDateValue', () => {
  const plus35 = dateShift('2026-11-01', '2026-12-06');
  const back = dateShift('2026-11-01', '2025-08-15');

  it('moves a full date by calendar days, across months, years and leap days', () => {
    expect(shiftDateValue('2026-11-01', plus35)).toBe('2026-12-06');
    expect(shiftDateValue('2026-12-30', plus35)).toBe('2027-02-03');
    expect(shiftDateValue('2028-02-10', plus35)).toBe('2028-03-16');
    expect(shiftDateValue('1958-03-14', plus35)).toBe('1958-04-18');
    expect(shiftDateValue('2026-11-01', back)).toBe('2025-08-15');
  });

  it('keeps the time of day, the fraction and the zone offset of a date-time exactly as written', () => {
    expect(shiftDateValue('2026-11-01T09:00:00Z', plus35)).toBe('2026-12-06T09:00:00Z');
    expect(shiftDateValue('2026-10-31T23:30:00.123+02:00', plus35)).toBe('2026-12-05T23:30:00.123+02:00');
    expect(shiftDateValue('2026-11-01T00:15:00-05:00', plus35)).toBe('2026-12-06T00:15:00-05:00');
    expect(shiftDateValue('2026-11-01T09:00:00.000000Z', plus35)).toBe('2026-12-06T09:00:00.000000Z');
  });

  it('keeps the precision of a month or a year and moves it by whole months or years', () => {
    expect(shiftDateValue('2026-11', plus35)).toBe('2026-12');
    expect(shiftDateValue('2026-12', plus35)).toBe('2027-01');
    expect(shiftDateValue('2026', plus35)).toBe('2026');
    const later = dateShift('2026-11-01', '2029-01-20');
    expect(shiftDateValue('2026-11', later)).toBe('2029-01');
    expect(shiftDateValue('2019', later)).toBe('2022');
    expect(shiftDateValue('2026-03', back)).toBe('2024-12');
  });

  it('leaves strings that are not FHIR dates as they are', () => {
    for (const s of ['', 'today', 'Seen on 2026-11-01', '2026-11-01 at noon', '2026-13', '2026-02-30', '2026-11-01T25', '20261101', 'MRN-2026-11-01', ' 2026-11-01']) {
      expect(shiftDateValue(s, plus35), s).toBe(s);
    }
  });

  it('refuses to move a value out of the years FHIR can write', () => {
    expect(() => shiftDateValue('9999-12-31', plus35)).toThrow(RangeError);
  });

  it('moves every instant by exactly the days, so any two keep their order', () => {
    const offset = fc.constantFrom('Z', '+00:00', '+02:00', '-05:00', '+05:30', '-11:00', '+14:00');
    const instant = fc
      .tuple(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), offset, fc.boolean())
      .map(([d, zone, fraction]) => {
        const minutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
        const local = new Date(d.getTime() + minutes * 60_000).toISOString();
        return `${fraction ? local.slice(0, 23) : local.slice(0, 19)}${zone}`;
      });
    fc.assert(
      fc.property(instant, instant, fc.integer({ min: -20_000, max: 20_000 }), (a, b, days) => {
        const target = new Date(Date.parse('2026-11-01T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10);
        const shift = dateShift('2026-11-01', target);
        const [ma, mb] = [shiftDateValue(a, shift), shiftDateValue(b, shift)];
        expect(Date.parse(ma) - Date.parse(a)).toBe(days * DAY_MS);
        expect(Math.sign(Date.parse(ma) - Date.parse(mb))).toBe(Math.sign(Date.parse(a) - Date.parse(b)));
        expect(ma.slice(10)).toBe(a.slice(10));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the order of partial values of the same precision', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900 * 12, max: 2100 * 12 }), fc.integer({ min: 1900 * 12, max: 2100 * 12 }), fc.integer({ min: -5_000, max: 5_000 }), (i, j, days) => {
        const month = (n: number) => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
        const shift = dateShift('2026-11-01', new Date(Date.parse('2026-11-01T00:00:00Z') + days * DAY_MS).toISOString().slice(0, 10));
        const [a, b] = [shiftDateValue(month(i), shift), shiftDateValue(month(j), shift)];
        expect(a.length).toBe(7);
        expect(Math.sign(a.localeCompare(b))).toBe(Math.sign(month(i).localeCompare(month(j))));
      }),
    );
  });

  it('composes: moving to one day then another is moving to the second at once', () => {
    const viaA = [dateShift('2026-11-01', '2027-06-30'), dateShift('2027-06-30', '2031-01-31')];
    const direct = dateShift('2026-11-01', '2031-01-31');
    for (const v of ['2026-11-01T09:00:00Z', '2024-02-29', '2026-11', '2019', '1940-06-12']) {
      expect(shiftDateValue(shiftDateValue(v, viaA[0]!), viaA[1]!), v).toBe(shiftDateValue(v, direct));
    }
  });
});

describe('readSandboxDates', () => {
  const now = new Date('2027-03-04T23:59:00-05:00');

  it('keeps the fixtures\' days unless asked', () => {
    expect(readSandboxDates({}, now)).toBeNull();
    expect(readSandboxDates({ SANDBOX_DATES: '' }, now)).toBeNull();
    expect(readSandboxDates({ SANDBOX_DATES: 'fixed' }, now)).toBeNull();
  });

  it('reads today as the UTC day, and takes a day as given', () => {
    expect(readSandboxDates({ SANDBOX_DATES: 'today' }, now)).toBe('2027-03-05');
    expect(utcDay(now)).toBe('2027-03-05');
    expect(readSandboxDates({ SANDBOX_DATES: '2030-01-15' }, now)).toBe('2030-01-15');
  });

  it.each(['yesterday', '2030-02-30', '2030-1-15', 'TODAY'])('refuses %j with a config error', (value) => {
    expect(() => readSandboxDates({ SANDBOX_DATES: value }, now)).toThrow(SandboxConfigError);
    expect(() => readSandboxDates({ SANDBOX_DATES: value }, now)).toThrow(/SANDBOX_DATES must be fixed, today or a day/);
  });
});

describe('describeDateShift', () => {
  it('says the offset and the days it maps', () => {
    expect(describeDateShift(dateShift('2026-11-01', '2026-12-06'))).toBe(
      "Seed dates: moved +35 days (the seed's 2026-11-01 is now 2026-12-06; SANDBOX_DATES=fixed keeps them)",
    );
    expect(describeDateShift(dateShift('2026-11-01', '2026-10-31'))).toMatch(/^Seed dates: moved -1 day \(/);
    expect(describeDateShift(null)).toMatch(/^Seed dates: fixed/);
  });
});
