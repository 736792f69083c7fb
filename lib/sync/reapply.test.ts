import type { AllergyIntolerance, DocumentReference } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { enqueue } from './mutations';
import { reapplyOnTheirs } from './reapply';

const seed = buildSeed();
const allergy = { ...(seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance), meta: { versionId: '1' }, note: [{ text: 'Old comment' }] };
const ctx = { now: Date.parse('2026-11-28T10:00:00Z'), newId: () => 'id-1' };
const prac = { reference: 'Practitioner/prac-001' };

describe('re-applying my change on the server’s copy', () => {
  it('appends only my new comment to the allergy as the clinic changed it', () => {
    const { entry } = enqueue([], 'commentOnAllergy', allergy, { text: 'Rash only, no anaphylaxis', author: prac }, ctx);
    const theirs: AllergyIntolerance = { ...allergy, criticality: 'high', meta: { versionId: '2' }, note: [{ text: 'Old comment' }, { text: 'Clinic note' }] };
    const again = reapplyOnTheirs(entry, theirs) as AllergyIntolerance;
    expect(again.criticality).toBe('high');
    expect(again.meta?.versionId).toBe('2');
    expect(again.note?.map((n) => n.text)).toEqual(['Old comment', 'Clinic note', 'Rash only, no anaphylaxis']);
  });

  it('signs the note as the EHR has it now', () => {
    const note: DocumentReference = { resourceType: 'DocumentReference', id: 'n1', status: 'current', docStatus: 'preliminary', content: [], meta: { versionId: '1' } };
    const { entry } = enqueue([], 'signNote', note, { author: prac }, ctx);
    const theirs: DocumentReference = { ...note, description: 'Edited at the clinic', meta: { versionId: '2' } };
    expect(reapplyOnTheirs(entry, theirs)).toMatchObject({ description: 'Edited at the clinic', docStatus: 'final', authenticator: prac, meta: { versionId: '2' } });
  });

  it('offers nothing when the resource is gone or the change has no safe meaning', () => {
    const { entry } = enqueue([], 'commentOnAllergy', allergy, { text: 'x', author: prac }, ctx);
    expect(reapplyOnTheirs(entry, null)).toBeUndefined();
    const patient = seed.patients[0]!.patient;
    const phone = enqueue([], 'editTelecom', patient, { system: 'phone', use: 'mobile', value: '1' }, ctx).entry;
    expect(reapplyOnTheirs(phone, patient)).toBeUndefined();
  });
});
