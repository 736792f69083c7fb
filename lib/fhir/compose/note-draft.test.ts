import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS } from '../../../fixtures';
import { base64ToUtf8, createNoteDraft, documentText, readNoteDraft, utf8ToBase64 } from './note-draft';
import { chartOf } from './testing';

describe('note drafts', () => {
  it('are preliminary progress-note DocumentReferences for the launch patient', () => {
    const d = createNoteDraft('Seen today.', { patientId: 'pat-001', encounterId: 'enc-1', author: 'Practitioner/prac-001' }, new Date('2026-11-28T10:00:00Z'));
    expect(d).toMatchObject({
      resourceType: 'DocumentReference', status: 'current', docStatus: 'preliminary',
      subject: { reference: 'Patient/pat-001' }, author: [{ reference: 'Practitioner/prac-001' }],
      context: { encounter: [{ reference: 'Encounter/enc-1' }] }, date: '2026-11-28T10:00:00.000Z',
    });
    expect(readNoteDraft(d)).toEqual({ text: 'Seen today.', updatedAt: '2026-11-28T10:00:00.000Z' });
  });

  it('round-trip any text, any script or emoji', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
      expect(readNoteDraft(JSON.parse(JSON.stringify(createNoteDraft(text, { patientId: 'p' }, new Date()))))?.text).toBe(text);
      expect(base64ToUtf8(utf8ToBase64(text))).toBe(text);
    }), { numRuns: 300 });
  });

  it('refuse stored values that are not a draft', () => {
    for (const v of [null, 'x', {}, { resourceType: 'DocumentReference', docStatus: 'final' }, { resourceType: 'DocumentReference', docStatus: 'preliminary', content: [{ attachment: { data: '@@@' } }] }]) {
      expect(readNoteDraft(v)).toBeUndefined();
    }
  });

  it('decode the seeded progress note', () => {
    const note = chartOf(FIXTURE_PATIENTS[0]!.id).of('DocumentReference')[0];
    expect(documentText(note)).toMatch(/^Progress note for Ada Testcase/);
  });
});
