import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@/lib/sync';
import { settledTypes } from './settled-types';

const entry = (id: string, resourceType: string, state: OutboxEntry['state'] = 'pending'): OutboxEntry => ({
  id, op: 'update', resourceType, resourceId: `${id}-r`, payload: { resourceType } as OutboxEntry['payload'], idempotencyKey: `k-${id}`, attempts: 0, nextAttemptAt: 0, state, createdAt: 0,
});

describe('which views to ask again after a sync', () => {
  it('names the types whose changes left the outbox, once each', () => {
    const before = [entry('a', 'AllergyIntolerance'), entry('b', 'DocumentReference', 'in-flight'), entry('c', 'AllergyIntolerance'), entry('d', 'Patient')];
    const after = [entry('d', 'Patient', 'in-flight')];
    expect(settledTypes(before, after).sort()).toEqual(['AllergyIntolerance', 'DocumentReference']);
  });

  it('a change that is still open, or moved to review, or was already settled, asks nothing', () => {
    expect(settledTypes([entry('a', 'AllergyIntolerance')], [entry('a', 'AllergyIntolerance', 'needs-review')])).toEqual([]);
    expect(settledTypes([entry('a', 'AllergyIntolerance', 'synced')], [])).toEqual([]);
    expect(settledTypes([], [entry('a', 'Patient')])).toEqual([]);
  });

  it('an entry marked synced in place counts as settled', () => {
    expect(settledTypes([entry('a', 'DocumentReference')], [entry('a', 'DocumentReference', 'synced')])).toEqual(['DocumentReference']);
  });
});
