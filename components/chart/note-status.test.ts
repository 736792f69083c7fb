import type { DocumentReference } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '@/lib/sync';
import { noteStage, type SavedNote } from './note-status';

const saved: SavedNote = { localId: 'local-1', createKey: 'key-1', savedAt: '2026-11-28T10:00:00Z' };
const entry = (over: Partial<OutboxEntry>): OutboxEntry => ({
  id: 'e1', mutation: 'draftNote', op: 'create', resourceType: 'DocumentReference', resourceId: 'local-1', localId: 'local-1',
  payload: { resourceType: 'DocumentReference', status: 'current', content: [] }, idempotencyKey: 'key-1', attempts: 0, nextAttemptAt: 0, state: 'pending', createdAt: 0, ...over,
});
const server = (docStatus: 'preliminary' | 'final'): DocumentReference => ({ resourceType: 'DocumentReference', id: 'srv-9', status: 'current', docStatus, content: [], meta: { versionId: '2' } });

describe('the stage of a saved note', () => {
  it('waits while its create or its signature is queued', () => {
    expect(noteStage(saved, [entry({})], undefined)).toEqual({ kind: 'waiting', what: 'save' });
    expect(noteStage(saved, [entry({ state: 'in-flight' })], undefined)).toEqual({ kind: 'waiting', what: 'save' });
    const sign = entry({ id: 'e2', mutation: 'signNote', op: 'update', resourceId: 'srv-9', idempotencyKey: 'key-2' });
    expect(noteStage(saved, [sign], server('preliminary'))).toEqual({ kind: 'waiting', what: 'sign' });
  });

  it('is saved, then signed, by the EHR copy once nothing is queued', () => {
    expect(noteStage(saved, [], server('preliminary'))).toMatchObject({ kind: 'saved' });
    expect(noteStage(saved, [], server('final'))).toMatchObject({ kind: 'signed' });
    expect(noteStage(saved, [], undefined)).toEqual({ kind: 'unknown' });
  });

  it('review and failure come before anything else, and other resources are ignored', () => {
    const review = entry({ id: 'e2', mutation: 'signNote', op: 'update', resourceId: 'srv-9', idempotencyKey: 'key-2', state: 'needs-review' });
    expect(noteStage(saved, [review], server('preliminary'))).toEqual({ kind: 'needs-review' });
    expect(noteStage(saved, [entry({ state: 'failed', lastError: { code: 'scope-not-granted', status: 403 } })], undefined)).toEqual({ kind: 'failed', code: 'scope-not-granted' });
    const other = entry({ id: 'e3', resourceId: 'local-2', localId: 'local-2', idempotencyKey: 'key-3' });
    expect(noteStage(saved, [other], server('final'))).toMatchObject({ kind: 'signed' });
  });
});
