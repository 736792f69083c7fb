import { describe, expect, it } from 'vitest';
import { damagedTitle } from './damaged-changes';

describe('issue 12: what a damaged change was, from clear metadata only', () => {
  it('names the change, a draft, or says only what is known', () => {
    expect(damagedTitle({ kind: 'change', mutation: 'editTelecom', resourceType: 'Patient' })).toBe('A phone or email change');
    expect(damagedTitle({ kind: 'change', mutation: 'draftNote', resourceType: 'DocumentReference' })).toBe('A new note');
    expect(damagedTitle({ kind: 'change', mutation: 'somethingNew', resourceType: 'Observation' })).toBe('A change to an Observation');
    expect(damagedTitle({ kind: 'change' })).toBe('A change');
    expect(damagedTitle({ kind: 'draft', resourceType: 'Patient' })).toBe('Your unsent copy of a Patient');
    expect(damagedTitle({ kind: 'draft', resourceType: 'AllergyIntolerance' })).toBe('Your unsent copy of an AllergyIntolerance');
  });
});
