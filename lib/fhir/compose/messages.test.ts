import type { Communication } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { toThreads } from './messages';

const ME = 'Patient/pat-001';
const GP = { reference: 'Practitioner/prac-001', display: 'Dr. Quinn Placebo' };
const NURSE = { reference: 'Practitioner/prac-003' }; // no display: named from the directory or "a clinician"

function msg(id: string, sent: string, over: Partial<Communication> = {}): Communication {
  return { resourceType: 'Communication', id, status: 'completed', subject: { reference: ME }, sent, sender: { reference: ME }, recipient: [GP], payload: [{ contentString: `text ${id}` }], ...over };
}

describe('toThreads', () => {
  it('threads replies by inResponseTo and partOf, followed to the root, oldest message first', () => {
    const threads = toThreads([
      msg('c', '2026-10-03T10:00:00Z', { sender: GP, recipient: [{ reference: ME }], partOf: [{ reference: 'Communication/b' }] }),
      msg('a', '2026-10-01T10:00:00Z', { topic: { text: 'Blood pressure' } }),
      msg('b', '2026-10-02T10:00:00Z', { sender: GP, recipient: [{ reference: ME }], inResponseTo: [{ reference: 'https://ehr.test/fhir/Communication/a' }] }),
      msg('x', '2026-09-01T10:00:00Z', { topic: { text: 'Travel' } }),
    ], ME);
    expect(threads.map((t) => [t.id, t.topic, t.messages.map((m) => m.id)])).toEqual([
      ['a', 'Blood pressure', ['a', 'b', 'c']],
      ['x', 'Travel', ['x']],
    ]);
    expect(threads[0]!.messages.map((m) => m.from)).toEqual(['You', 'Dr. Quinn Placebo', 'Dr. Quinn Placebo']);
  });

  it('falls back to the topic when there is no link, or the linked message is not in the answer', () => {
    const threads = toThreads([
      msg('a', '2026-10-01T10:00:00Z', { topic: { text: 'Refill' } }),
      msg('b', '2026-10-02T10:00:00Z', { topic: { text: 'RE: refill' }, sender: GP, recipient: [{ reference: ME }] }),
      msg('c', '2026-10-03T10:00:00Z', { topic: { text: 'Refill' }, inResponseTo: [{ reference: 'Communication/withheld' }] }),
      msg('d', '2026-10-04T10:00:00Z', { inResponseTo: [{ reference: 'Communication/gone' }] }),
    ], ME);
    expect(threads.map((t) => t.messages.map((m) => m.id))).toEqual([['d'], ['a', 'b', 'c']]);
  });

  it('orders messages and threads by instant, whatever offset each time was sent with', () => {
    const threads = toThreads([
      msg('early', '2026-10-01T10:00:00+02:00', { topic: { text: 'Refill' } }),
      msg('later', '2026-10-01T09:30:00Z', { topic: { text: 'Refill' }, sender: GP, recipient: [{ reference: ME }] }),
      msg('other', '2026-10-01T09:00:00Z', { topic: { text: 'Travel' } }),
    ], ME);
    // 10:00+02:00 is 08:00Z: before both others.
    expect(threads.map((t) => [t.topic, t.messages.map((m) => m.id)])).toEqual([['Refill', ['early', 'later']], ['Travel', ['other']]]);
  });

  it('orders threads by their newest activity, not by when they began', () => {
    const threads = toThreads([
      msg('old', '2026-01-01T10:00:00Z', { topic: { text: 'Old' } }),
      msg('new', '2026-06-01T10:00:00Z', { topic: { text: 'New' } }),
      msg('reply', '2026-09-01T10:00:00Z', { sender: GP, recipient: [{ reference: ME }], inResponseTo: [{ reference: 'Communication/old' }] }),
    ], ME);
    expect(threads.map((t) => t.id)).toEqual(['old', 'new']);
    expect(threads[0]!.lastActivity).toBe('2026-09-01T10:00:00Z');
  });

  it('marks unread only what was sent to me and not yet received; my own and received ones are read', () => {
    const threads = toThreads([
      msg('mine', '2026-10-01T10:00:00Z', { topic: { text: 'Q' } }),
      msg('to-me', '2026-10-02T10:00:00Z', { sender: GP, recipient: [{ reference: ME }], inResponseTo: [{ reference: 'Communication/mine' }] }),
      msg('read', '2026-10-03T10:00:00Z', { sender: GP, recipient: [{ reference: ME }], inResponseTo: [{ reference: 'Communication/mine' }], received: '2026-10-03T11:00:00Z' }),
      msg('to-nurse', '2026-10-04T10:00:00Z', { sender: GP, recipient: [NURSE], topic: { text: 'Q' } }),
    ], ME);
    expect(threads[0]!.messages.map((m) => [m.id, m.unread])).toEqual([['mine', false], ['to-me', true], ['read', false], ['to-nurse', false]]);
    expect(threads[0]!.unread).toBe(1);
    expect(threads[0]!.messages[3]!.to).toEqual(['a clinician, name not available']);
  });

  it('leaves out messages entered in error or never sent, and survives a reply cycle', () => {
    const threads = toThreads([
      msg('a', '2026-10-01T10:00:00Z', { inResponseTo: [{ reference: 'Communication/b' }] }),
      msg('b', '2026-10-02T10:00:00Z', { inResponseTo: [{ reference: 'Communication/a' }] }),
      msg('err', '2026-10-03T10:00:00Z', { status: 'entered-in-error' }),
      msg('draft', '2026-10-04T10:00:00Z', { status: 'preparation' }),
    ], ME);
    expect(threads.flatMap((t) => t.messages.map((m) => m.id)).sort()).toEqual(['a', 'b']);
  });
});
