import { describe, expect, it } from 'vitest';
import { newConsentSchema } from './schema';

describe('newConsentSchema: share-with-practitioner preview', () => {
  const base = { kind: 'share-with-practitioner', practitionerId: 'prac-1', resourceTypes: ['AllergyIntolerance'], days: 14 } as const;
  it('keeps the confirmed preview text', () => {
    const parsed = newConsentSchema.parse({ ...base, preview: 'You are sharing your allergies.' });
    expect(parsed).toMatchObject({ preview: 'You are sharing your allergies.' });
  });
  it('refuses an empty or oversized preview', () => {
    expect(newConsentSchema.safeParse({ ...base, preview: '' }).success).toBe(false);
    expect(newConsentSchema.safeParse({ ...base, preview: 'x'.repeat(4001) }).success).toBe(false);
  });
});

describe('newConsentSchema: patient-default', () => {
  it('accepts permit or deny and nothing else', () => {
    expect(newConsentSchema.parse({ kind: 'patient-default', rule: 'deny' })).toEqual({ kind: 'patient-default', rule: 'deny' });
    expect(newConsentSchema.safeParse({ kind: 'patient-default', rule: 'maybe' }).success).toBe(false);
    expect(newConsentSchema.safeParse({ kind: 'patient-default', rule: 'deny', practitionerId: 'x' }).success).toBe(false);
  });
});
