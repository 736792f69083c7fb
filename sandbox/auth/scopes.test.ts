import { describe, expect, it } from 'vitest';
import { describeScope, grantableResourceScopes, parseResourceScope } from './scopes';

describe('parseResourceScope', () => {
  it.each([
    ['patient/*.read', { context: 'patient', resourceType: '*', version: 1, interactions: 'rs' }],
    ['user/Observation.write', { context: 'user', resourceType: 'Observation', version: 1, interactions: 'cud' }],
    ['patient/Observation.rs', { context: 'patient', resourceType: 'Observation', version: 2, interactions: 'rs' }],
    ['patient/Observation.rs?category=laboratory', { version: 2, interactions: 'rs', query: 'category=laboratory' }],
    ['user/*.cruds', { context: 'user', version: 2, interactions: 'cruds' }],
  ])('reads %s', (scope, expected) => {
    expect(parseResourceScope(scope)).toMatchObject(expected);
  });

  it.each(['system/*.read', 'patient/Observation.sr', 'patient/Observation.', 'patient/observation.read', 'launch', 'patient/*.rs?'])(
    'rejects %s',
    (scope) => {
      expect(parseResourceScope(scope)).toBeNull();
    },
  );
});

describe('grantableResourceScopes', () => {
  const requested = ['openid', 'patient/*.rs', 'user/*.rs', 'system/*.read', 'patient/Bad.xx'];
  it('keeps user scopes for practitioners only', () => {
    expect(grantableResourceScopes(requested, 'Practitioner')).toEqual(['patient/*.rs', 'user/*.rs']);
    expect(grantableResourceScopes(requested, 'Patient')).toEqual(['patient/*.rs']);
  });
});

describe('describeScope', () => {
  it('says what a scope allows in plain words', () => {
    expect(describeScope('patient/Observation.rs')).toBe('Read, search Observation records for the selected patient');
    expect(describeScope('patient/Bad.xx')).toMatch(/Not recognised/);
  });
});
