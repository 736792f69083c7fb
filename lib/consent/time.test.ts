import { describe, expect, it } from 'vitest';
import { parseFhirTime, positionIn } from './time';

const ms = (iso: string) => Date.parse(iso);

describe('parseFhirTime()', () => {
  it.each<[string, string, string]>([
    ['2026', '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2026-02', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'],
    ['2026-12-31', '2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z'],
    ['2026-11-01T09:00:00Z', '2026-11-01T09:00:00Z', '2026-11-01T09:00:01Z'],
    ['2026-11-01T09:00:00+02:00', '2026-11-01T07:00:00Z', '2026-11-01T07:00:01Z'],
    ['2026-11-01T09:00:00.250Z', '2026-11-01T09:00:00.250Z', '2026-11-01T09:00:00.251Z'],
  ])('%s is [%s, %s)', (value, low, high) => {
    expect(parseFhirTime(value)).toEqual({ low: ms(low), high: ms(high) });
  });

  it.each(['', 'junk', '2026-02-30', '2026-13-01', '26-01-01', '2026-01-01T25:00:00Z'])('refuses %j', (value) => {
    expect(parseFhirTime(value)).toBeUndefined();
  });
});

describe('positionIn()', () => {
  const now = ms('2026-11-01T09:00:00Z');
  it.each<[string | undefined, string | undefined, string]>([
    [undefined, undefined, 'within'],
    ['2026-11-01T09:00:00Z', undefined, 'within'],
    ['2026-11-01T09:00:01Z', undefined, 'before'],
    [undefined, '2026-11-01', 'within'],
    [undefined, '2026-10-31', 'after'],
    [undefined, '2026-11-01T08:59:59Z', 'after'],
    ['2026-12-01', '2026-01-01', 'invalid'],
    ['soon', undefined, 'invalid'],
  ])('start %s, end %s: %s', (start, end, expected) => {
    expect(positionIn(start, end, now)).toBe(expected);
  });
});
