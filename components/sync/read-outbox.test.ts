import { describe, expect, it } from 'vitest';
import { OfflineStoreError } from '@/lib/offline';
import { describe as sentence, summarize, type OutboxEntry } from '@/lib/sync';
import { readOutbox } from './read-outbox';

const pending = { id: 'e1', op: 'update', resourceType: 'Patient', resourceId: 'p', payload: null, idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, state: 'pending', createdAt: 0 } as OutboxEntry;

describe('issue 12: an unreadable outbox is never "All changes saved"', () => {
  it.each([
    ['a timeout', new OfflineStoreError('timeout'), 'timeout'],
    ['a lost connection', new OfflineStoreError('connection-lost'), 'connection-lost'],
    ['anything else', new Error('boom'), 'unexpected'],
  ] as const)('reports %s as unreadable', async (_name, error, code) => {
    expect(await readOutbox({ loadOutbox: () => Promise.reject(error) })).toEqual({ kind: 'unreadable', code });
    const words = sentence({ kind: 'idle', lastSyncedAt: 1 }, { ...summarize([]), unreadable: true });
    expect(words).toBe('This device’s storage did not answer, so Housecall cannot tell whether your changes are saved');
    expect(sentence({ kind: 'idle' }, { ...summarize([pending]), unreadable: true })).not.toMatch(/^All changes saved|not yet saved/);
  });

  it('tells an erased store (nothing left to show) from an unreadable one, and reads a healthy one', async () => {
    expect(await readOutbox({ loadOutbox: () => Promise.reject(new OfflineStoreError('wiped')) })).toEqual({ kind: 'wiped' });
    expect(await readOutbox({ loadOutbox: async () => [pending] })).toEqual({ kind: 'read', entries: [pending] });
  });
});
