import { describe, expect, it } from 'vitest';
import { newShareLinkSchema } from './schema';

describe('newShareLinkSchema', () => {
  it('accepts chosen types for up to a week', () => {
    expect(newShareLinkSchema.safeParse({ resourceTypes: ['AllergyIntolerance'], hours: 168 }).success).toBe(true);
  });
  it.each([
    ['no types', { resourceTypes: [], hours: 24 }],
    ['a type that cannot be shared by link', { resourceTypes: ['Patient'], hours: 24 }],
    ['longer than a week', { resourceTypes: ['Condition'], hours: 169 }],
    ['an unknown field', { resourceTypes: ['Condition'], hours: 1, launchId: 'x' }],
  ])('refuses %s', (_name, body) => {
    expect(newShareLinkSchema.safeParse(body).success).toBe(false);
  });
});
