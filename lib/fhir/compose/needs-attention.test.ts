import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS } from '../../../fixtures';
import { toNeedsAttention } from './needs-attention';
import { toResultSeries } from './observations';
import { bundleOf, ctx, observationsIn } from './testing';

const otto = FIXTURE_PATIENTS[3]!;

const obs = (id: string, code: string, value: number, lastUpdated: string, interpretation?: string) =>
  ({
    resourceType: 'Observation', id, status: 'final', meta: { lastUpdated },
    code: { coding: [{ system: 'http://loinc.org', code, display: `Test ${code}` }] },
    effectiveDateTime: lastUpdated, valueQuantity: { value, unit: 'u' },
    ...(interpretation ? { interpretation: [{ coding: [{ code: interpretation }] }] } : {}),
  }) as Resource;

describe('needs attention', () => {
  it('on a first open lists the abnormal latest results of a seeded patient, and only those', () => {
    const series = toResultSeries(bundleOf(observationsIn(otto.id, 'laboratory')), ctx);
    const view = toNeedsAttention(series, null);
    expect(view.since).toBeNull();
    expect(view.items.length).toBeGreaterThan(0);
    expect(view.items.every((i) => i.point.flag && i.reasons.join() === 'abnormal')).toBe(true);
    expect(view.items.map((i) => i.series.searchCode)).toContain('http://loinc.org|2160-0');
    const flagged = series.filter((s) => s.points[0]?.flag).length;
    expect(view.items).toHaveLength(flagged);
  });

  it('after a visit lists only what arrived since, abnormal first, and nothing old', () => {
    const since = '2026-11-10T00:00:00Z';
    const series = toResultSeries(bundleOf([
      obs('1', 'a', 1, '2026-11-01T00:00:00Z', 'H'),
      obs('2', 'b', 2, '2026-11-11T00:00:00Z'),
      obs('3', 'c', 9, '2026-11-12T00:00:00Z', 'H'),
      obs('4', 'b', 3, '2026-11-09T00:00:00Z'),
    ]), ctx);
    const view = toNeedsAttention(series, since);
    expect(view.items.map((i) => [i.series.searchCode, i.reasons])).toEqual([
      ['http://loinc.org|c', ['new', 'abnormal']],
      ['http://loinc.org|b', ['new']],
    ]);
  });

  it('finds an old result that was corrected after the visit (a new version)', () => {
    const corrected = { ...obs('1', 'a', 7, '2026-11-20T00:00:00Z', 'HH'), effectiveDateTime: '2026-10-01T00:00:00Z' } as Resource;
    const view = toNeedsAttention(toResultSeries(bundleOf([corrected]), ctx), '2026-11-10T00:00:00Z');
    expect(view.items[0]).toMatchObject({ reasons: ['new', 'abnormal'], point: { flag: 'critical' } });
  });

  it('treats an unreadable visit time as a first open', () => {
    expect(toNeedsAttention([], 'not a date').since).toBeNull();
  });
});
