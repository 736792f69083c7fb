import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { enqueue, type MutationContext } from './mutations';
import { OutboxTransitionError, TRANSITIONS, summarize, transition, type OutboxEntry, type OutboxEvent, type OutboxEventType, type OutboxState } from './outbox';
import { applySynced, backoffDelay, parseRetryAfter, retryTime, rewriteReferences, selectReady } from './schedule';

const seed = buildSeed();
const patient = { ...seed.patients[0]!.patient, meta: { versionId: '4' } } as Patient & { id: string };
const NOW = 1_000_000;
let n = 0;
const ctx = (now = NOW): MutationContext => ({ now, newId: () => `id-${++n}` });

function entry(partial: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: `e${++n}`, op: 'update', resourceType: 'Patient', resourceId: patient.id, payload: patient, idempotencyKey: `k${n}`,
    attempts: 0, nextAttemptAt: NOW, state: 'pending', createdAt: NOW + n, ...partial,
  };
}

const EVENTS: Record<OutboxEventType, OutboxEvent> = {
  send: { type: 'send', at: NOW },
  synced: { type: 'synced', id: 'srv-1', version: '2' },
  retry: { type: 'retry', nextAttemptAt: NOW + 5, error: { code: 'network' } },
  fail: { type: 'fail', error: { code: 'scope-not-granted', status: 403 } },
  conflict: { type: 'conflict', conflict: { theirs: patient, fields: [], detectedAt: NOW } },
  hold: { type: 'hold', conflict: { theirs: null, fields: [], detectedAt: NOW } },
  rebase: { type: 'rebase', payload: patient, baseCopy: patient, baseVersion: '5' },
  discard: { type: 'discard', version: '5' },
  requeue: { type: 'requeue', at: NOW },
  interrupted: { type: 'interrupted' },
};
const STATES: OutboxState[] = ['pending', 'in-flight', 'synced', 'failed', 'needs-review'];

describe('outbox transitions', () => {
  const legal = STATES.flatMap((s) => Object.entries(TRANSITIONS[s]).map(([e, to]) => [s, e as OutboxEventType, to] as const));
  const illegal = STATES.flatMap((s) => (Object.keys(EVENTS) as OutboxEventType[]).filter((e) => !(e in TRANSITIONS[s])).map((e) => [s, e] as const));

  it('has exactly the documented transitions', () => {
    expect(legal.map(([s, e, to]) => `${s} -${e}-> ${to}`)).toEqual([
      'pending -send-> in-flight', 'pending -hold-> needs-review',
      'in-flight -synced-> synced', 'in-flight -retry-> pending', 'in-flight -fail-> failed', 'in-flight -conflict-> needs-review', 'in-flight -rebase-> pending', 'in-flight -interrupted-> pending',
      'failed -requeue-> pending', 'failed -discard-> synced',
      'needs-review -rebase-> pending', 'needs-review -discard-> synced',
    ]);
  });

  it.each(legal)('%s --%s--> %s', (from, event, to) => {
    expect(transition(entry({ state: from }), EVENTS[event]).state).toBe(to);
  });

  it.each(illegal)('%s refuses %s', (from, event) => {
    const e = entry({ state: from });
    expect(() => transition(e, EVENTS[event])).toThrow(OutboxTransitionError);
    try {
      transition(e, EVENTS[event]);
    } catch (error) {
      expect(error).toMatchObject({ code: 'illegal-transition', from, event });
    }
  });

  it('counts attempts, keeps data serialisable, and clears a conflict once re-based', () => {
    let e = entry();
    e = transition(e, EVENTS.send);
    e = transition(e, EVENTS.retry);
    expect(e).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: NOW + 5, lastError: { code: 'network' } });
    e = transition(transition(e, EVENTS.send), EVENTS.conflict);
    expect(e.conflict?.theirs).toEqual(patient);
    e = transition(e, EVENTS.rebase);
    expect(e).toMatchObject({ state: 'pending', baseVersion: '5', attempts: 2 });
    expect(e.conflict).toBeUndefined();
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('summarises for the indicator', () => {
    const states: OutboxState[] = ['pending', 'in-flight', 'needs-review', 'failed', 'synced', 'pending'];
    expect(summarize(states.map((state) => entry({ state })))).toEqual({ waiting: 3, needsReview: 1, failed: 1 });
  });
});

describe('backoff', () => {
  it('uses full jitter below an exponential ceiling with a cap', () => {
    expect(backoffDelay(3, () => 0)).toBe(0);
    expect(backoffDelay(3, () => 0.999_999)).toBe(7_999);
    expect(backoffDelay(30, () => 0.999_999)).toBe(299_999);
    const samples = new Set(Array.from({ length: 50 }, (_, i) => backoffDelay(4, () => i / 50)));
    expect(samples.size).toBe(50);
  });

  it('honours Retry-After as seconds or an HTTP date measured on the server’s clock', () => {
    expect(parseRetryAfter('120', undefined, NOW)).toBe(120_000);
    expect(parseRetryAfter('Wed, 01 Jan 2031 00:01:00 GMT', 'Wed, 01 Jan 2031 00:00:00 GMT', 0)).toBe(60_000);
    expect(parseRetryAfter('soon', undefined, NOW)).toBeUndefined();
    expect(retryTime(NOW, 1, 30_000, () => 0.5)).toBe(NOW + 30_000);
    expect(retryTime(NOW, 10, 1_000, () => 0.5)).toBe(NOW + 150_000); // capped at 5 min, half of it
  });
});

describe('scheduling', () => {
  it('sends FIFO per resource, respects due times, dependencies and per-type blocks', () => {
    const a1 = entry({ resourceType: 'Patient', resourceId: 'p' });
    const a2 = entry({ resourceType: 'Patient', resourceId: 'p' });
    const b = entry({ resourceType: 'AllergyIntolerance', resourceId: 'a' });
    const later = entry({ resourceType: 'Observation', resourceId: 'o', attempts: 1, nextAttemptAt: NOW + 10 });
    const create = entry({ op: 'create', resourceType: 'DocumentReference', resourceId: 'local-1', localId: 'local-1' });
    const dependent = entry({ op: 'create', resourceType: 'DocumentReference', resourceId: 'local-2', dependsOn: [create.id] });
    const all = [dependent, later, b, a2, a1, create];
    expect(selectReady(all, NOW).map((e) => e.id)).toEqual([a1.id, b.id, create.id]);
    expect(selectReady(all, NOW, { AllergyIntolerance: NOW + 1 }).map((e) => e.id)).toEqual([a1.id, create.id]);
    expect(selectReady(all, NOW, { '*': NOW + 1 })).toEqual([]);
    const afterCreate = all.map((e) => (e === create ? { ...create, state: 'synced' as const } : e));
    expect(selectReady(afterCreate, NOW + 10).map((e) => e.id)).toEqual([a1.id, b.id, later.id, dependent.id]);
    // A head in review holds back the edits made on top of it.
    const held = all.map((e) => (e === a1 ? { ...a1, state: 'needs-review' as const } : e));
    expect(selectReady(held, NOW).map((e) => e.id)).not.toContain(a2.id);
  });

  it('rewrites local references and ids once the create is synced', () => {
    expect(rewriteReferences({ a: { reference: 'urn:uuid:L' }, b: [{ reference: 'DocumentReference/L' }], c: { reference: 'Patient/L' } }, 'DocumentReference', 'L', 'srv-9')).toEqual({
      a: { reference: 'DocumentReference/srv-9' },
      b: [{ reference: 'DocumentReference/srv-9' }],
      c: { reference: 'Patient/L' },
    });
    const draft = enqueue([], 'draftNote', null, { patient: patient.id, text: 'Seen at home', author: { reference: 'Practitioner/prac-001' } }, ctx());
    const sign = enqueue([draft.entry], 'signNote', draft.local as never, { author: { reference: 'Practitioner/prac-001' } }, ctx());
    const addendum = enqueue([draft.entry, sign.entry], 'draftNote', null, { patient: patient.id, text: 'Addendum', author: { reference: 'Practitioner/prac-001' }, appendsTo: { reference: `DocumentReference/${draft.entry.localId}` } }, ctx());
    expect(sign.entry.dependsOn).toEqual([draft.entry.id]);
    expect(addendum.entry.dependsOn).toEqual([draft.entry.id]);
    const synced = { ...draft.entry, state: 'synced' as const, result: { id: 'srv-1', version: '1' } };
    const [, signed, appended] = applySynced([synced, sign.entry, addendum.entry], synced);
    expect(signed).toMatchObject({ resourceId: 'srv-1', baseVersion: '1', payload: { id: 'srv-1', docStatus: 'final' } });
    expect(appended?.payload).toMatchObject({ relatesTo: [{ code: 'appends', target: { reference: 'DocumentReference/srv-1' } }] });
  });
});

describe('named mutations', () => {
  it('edits a phone by system and use, records the base, and chains edits to one resource', () => {
    const first = enqueue([], 'editTelecom', patient, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx());
    expect(first.entry).toMatchObject({ op: 'update', mutation: 'editTelecom', resourceId: patient.id, baseVersion: '4', state: 'pending', attempts: 0 });
    expect(first.entry.baseCopy).toEqual(patient);
    expect((first.local as Patient).telecom).toEqual([
      { system: 'phone', value: '555-0199', use: 'mobile' },
      { system: 'email', value: 'ada.testcase@example.com', use: 'home' },
    ]);
    const second = enqueue([first.entry], 'editAddress', first.local as Patient, { use: 'home', address: { city: 'Elsewhere' } }, ctx());
    expect(second.entry.dependsOn).toEqual([first.entry.id]);
    expect(second.entry.idempotencyKey).not.toBe(first.entry.idempotencyKey);
    const removed = enqueue([], 'editTelecom', patient, { system: 'email', use: 'home', value: null }, ctx());
    expect((removed.local as Patient).telecom).toEqual([{ system: 'phone', value: '555-0101', use: 'mobile' }]);
  });

  it('appends an allergy comment and writes a draft note as a create', () => {
    const allergy = seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance')!;
    const c = enqueue([], 'commentOnAllergy', allergy as never, { text: 'Reaction was mild', author: { reference: 'Practitioner/prac-001' } }, ctx());
    expect(c.local).toMatchObject({ note: [{ text: 'Reaction was mild', authorReference: { reference: 'Practitioner/prac-001' } }] });
    const note = enqueue([], 'draftNote', null, { patient: 'pat-001', text: 'Ünïcode ok', author: { reference: 'Practitioner/prac-001' } }, ctx());
    expect(note.entry).toMatchObject({ op: 'create', resourceType: 'DocumentReference' });
    expect(note.entry.localId).toBe(note.entry.resourceId);
    const data = (note.local as { content: { attachment: { data: string } }[] }).content[0]!.attachment.data;
    expect(Buffer.from(data, 'base64').toString('utf8')).toBe('Ünïcode ok');
  });
});
