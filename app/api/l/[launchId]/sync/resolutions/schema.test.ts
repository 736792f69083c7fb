import { describe, expect, it } from 'vitest';
import { resolutionSchema } from './schema';

const valid = {
  kind: 'sync-conflict-resolution',
  who: 'Patient/pat-008',
  when: '2026-11-28T15:00:00.000Z',
  entryId: '6f0c7a52-0d55-4d4b-9a7e-2a3c1b2c9d10',
  resource: 'Patient/pat-008',
  mutation: 'editTelecom',
  decision: 'keep-mine',
  fields: ['telecom[phone|mobile]'],
  baseVersion: '3',
  theirsVersion: '4',
};

describe('resolutionSchema', () => {
  it('accepts the record lib/sync resolveConflict produces', () => {
    expect(resolutionSchema.safeParse(valid).success).toBe(true);
  });

  it('accepts the path of a second entry with the same meaning', () => {
    expect(resolutionSchema.safeParse({ ...valid, fields: ['telecom[phone|home#2]', 'birthDate'] }).success).toBe(true);
  });

  it.each([
    ['an unknown decision', { decision: 'overwrite' }],
    ['a resource that is not Type/id', { resource: '../Patient/pat-001' }],
    ['a field path carrying a value', { fields: ['telecom[phone|mobile]="555-0100"'] }],
    ['an extra property', { extra: 'x' }],
    ['a time that is not ISO', { when: 'yesterday' }],
  ])('refuses %s', (_name, patch) => {
    expect(resolutionSchema.safeParse({ ...valid, ...patch }).success).toBe(false);
  });
});
