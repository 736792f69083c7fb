import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { SYSTEMS } from '../../fixtures';
import { newResults, toResultSeries } from '../fhir';
import { ATTENTION_GAPS, expiringShareItems, gatherAttention, newResultItems, outboxItems, sortAttention, type AttentionItem } from './attention';

const NOW = Date.parse('2026-11-01T09:00:00Z');
const L = 'Launch0000000000';
const mmol = (value: number) => ({ value, unit: 'mmol/L', system: SYSTEMS.ucum, code: 'mmol/L' });
let n = 0;
const obs = (code: string, value: number, low: number, high: number, when = '2026-10-31T08:00:00Z'): Observation => ({
  resourceType: 'Observation', id: `o${n++}`, status: 'final', category: [{ coding: [{ system: SYSTEMS.obsCategory, code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code }] }, effectiveDateTime: when, issued: when, valueQuantity: mmol(value), referenceRange: [{ low: mmol(low), high: mmol(high) }],
});
const fresh = (...list: Observation[]) => newResults(toResultSeries({ resourceType: 'Bundle', type: 'searchset', entry: list.map((resource) => ({ resource })) }, { source: 'EHR', fetchedAt: '2026-11-01T09:00:00Z' }), null, NOW);

describe('new result items', () => {
  it('name each out-of-range result with its value and the flag in words, urgent, linking to that test', () => {
    const items = newResultItems(L, fresh(obs('2823-3', 5.9, 3.5, 5.1), obs('2951-2', 140, 136, 145)));
    expect(items[0]).toEqual({ kind: 'new-result', title: 'New result: Potassium', detail: '5.9 mmol/L, higher than the usual range', href: `/l/${L}/portal/results/test?code=${encodeURIComponent('http://loinc.org|2823-3')}`, urgent: true });
    expect(items[1]).toEqual({ kind: 'new-results', title: '1 more new result', detail: 'Within the usual range', href: `/l/${L}/portal/results` });
  });

  it('count results within range in one item, and give nothing when nothing is new', () => {
    expect(newResultItems(L, fresh(obs('2951-2', 140, 136, 145), obs('2823-3', 4.1, 3.5, 5.1)))).toEqual([{ kind: 'new-results', title: '2 new results', detail: 'All within their usual range', href: `/l/${L}/portal/results` }]);
    expect(newResultItems(L, fresh(obs('2823-3', 5.9, 3.5, 5.1, '2026-09-01T08:00:00Z')))).toEqual([]);
  });
});

describe('outbox items', () => {
  it('put changes that need a decision first and urgent, then waiting ones; nothing when all is sent', () => {
    const items = outboxItems(L, { waiting: 2, needsReview: 1, failed: 1 });
    expect(items.map((i) => [i.kind, i.title, !!i.urgent])).toEqual([['changes-need-you', '2 changes need your decision', true], ['unsent-changes', '2 changes not sent yet', false]]);
    expect(outboxItems(L, { waiting: 0, needsReview: 0, failed: 0 })).toEqual([]);
    expect(outboxItems(L, { waiting: 0, needsReview: 0, failed: 0, damaged: 1 })[0]?.title).toBe('1 change needs your decision');
  });
});

describe('shares about to end', () => {
  it('lists those ending within 48 hours, soonest first, never ended ones', () => {
    const items = expiringShareItems(L, [
      { kind: 'consent', what: 'your allergies, with Practitioner/p1', endsAt: NOW + 40 * 3_600_000 },
      { kind: 'link', what: 'your results', endsAt: NOW + 2 * 3_600_000 },
      { kind: 'link', what: 'your conditions', endsAt: NOW + 72 * 3_600_000 },
      { kind: 'link', what: 'gone', endsAt: NOW - 1 },
    ], NOW);
    expect(items.map((i) => i.title)).toEqual(['A share link ends in 2 hours', 'A share ends in 40 hours']);
    expect(items[0]).toMatchObject({ detail: 'your results', href: `/l/${L}/portal/sharing` });
  });
});

it('sorts urgent items first and keeps each source order otherwise', () => {
  const a = { kind: 'a', title: 'a', href: '/a' };
  const b = { kind: 'b', title: 'b', href: '/b', urgent: true };
  const c = { kind: 'c', title: 'c', href: '/c' };
  expect(sortAttention([a, b, c]).map((i) => i.kind)).toEqual(['b', 'a', 'c']);
});

describe('gathering what every source found', () => {
  const item = (kind: string, urgent = false): AttentionItem => ({ kind, title: kind, href: `/l/L/portal/${kind}`, ...(urgent ? { urgent } : {}) });
  it('lists the items urgent first, says what could not be checked, and is loading while a source still finds out', () => {
    const gathered = gatherAttention([[item('new-result')], { gap: ATTENTION_GAPS.messagesFailed }, undefined], [item('share-expiring', true)]);
    expect(gathered.items.map((i) => i.kind)).toEqual(['share-expiring', 'new-result']);
    expect(gathered.gaps).toEqual(['Housecall could not check for new messages just now.']);
    expect(gathered.loading).toBe(true);
  });
  it('is empty with no gap only when every source looked and found nothing', () => {
    expect(gatherAttention([[], []], [])).toEqual({ items: [], gaps: [], loading: false });
    expect(gatherAttention([[], { gap: ATTENTION_GAPS.resultsNotShared }], []).gaps).toEqual([ATTENTION_GAPS.resultsNotShared]);
  });
});
