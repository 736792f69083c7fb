import { describe, expect, it } from 'vitest';
import { allows, allowsSome, parseGrantedScopes, requestedScopes, toV1, v1Widened } from './scopes';

describe('requestedScopes', () => {
  it('uses v2 syntax where the server advertises permission-v2', () => {
    expect(requestedScopes({ workflow: 'clinician', ehrLaunch: true, resourceScopes: ['patient/Observation.rs'], supportsV2: true, access: 'offline' }))
      .toBe('openid fhirUser launch offline_access patient/Observation.rs');
  });
  it('falls back to v1 and asks for launch/patient in a standalone launch', () => {
    expect(requestedScopes({ workflow: 'patient', ehrLaunch: false, resourceScopes: ['patient/Observation.rs', 'patient/Task.cruds'], supportsV2: false, access: 'online' }))
      .toBe('openid fhirUser launch/patient online_access patient/Observation.read patient/Task.read patient/Task.write');
  });
  it('leaves non-resource scopes alone in v1 conversion', () => {
    expect(toV1('openid')).toEqual(['openid']);
  });
});

describe('parseGrantedScopes', () => {
  it('reads v1 and v2 scopes alike', () => {
    const g = parseGrantedScopes('openid launch patient/Observation.read user/Condition.rs patient/*.cud patient/Task.rs?status=ready');
    expect(allows(g, 'Observation', 'r')).toBe(true);
    expect(allows(g, 'Observation', 's')).toBe(true);
    expect(allows(g, 'Condition', 's')).toBe(true);
    expect(allows(g, 'Condition', 'u')).toBe(true); // via patient/*.cud
    expect(allows(g, 'Patient', 'r')).toBe(false);
  });
  it('keeps a v2 query restriction instead of widening it to the whole type', () => {
    const g = parseGrantedScopes('patient/Task.rs?status=ready patient/Observation.rs?category=laboratory,vital-signs&status=final');
    expect(allows(g, 'Task', 'r')).toBe(false); // only ready tasks, not every task
    expect(allowsSome(g, 'Task', 's')).toBe(true);
    expect(g.map((x) => x.restriction)).toEqual([{ status: ['ready'] }, { category: ['laboratory', 'vital-signs'], status: ['final'] }]);
  });
  it('grants nothing for a restriction it cannot read', () => {
    expect(parseGrantedScopes('patient/Task.rs? patient/Task.rs?=ready patient/Task.rs?status= patient/Task.rs?a=1&a=2')).toEqual([]);
  });
  it('grants nothing for malformed scopes', () => {
    expect(parseGrantedScopes('patient/Observation.readx patient/.rs Observation.rs')).toEqual([]);
  });
});

describe('v1 conversion of write scopes', () => {
  it.each([
    ['patient/Observation.rs', ['patient/Observation.read'], false],
    ['patient/Observation.r', ['patient/Observation.read'], false],
    ['patient/Patient.rus', ['patient/Patient.read', 'patient/Patient.write'], true],
    ['patient/DocumentReference.crus', ['patient/DocumentReference.read', 'patient/DocumentReference.write'], true],
    ['patient/Consent.cru', ['patient/Consent.read', 'patient/Consent.write'], true],
    ['patient/Task.c', ['patient/Task.write'], true],
    ['patient/Task.cruds', ['patient/Task.read', 'patient/Task.write'], false],
    ['patient/Task.d', ['patient/Task.write'], false],
    ['user/*.rs', ['user/*.read'], false],
  ] as const)('%s becomes %j and is flagged as asking for delete: %s', (scope, v1, widened) => {
    expect(toV1(scope)).toEqual(v1);
    expect(v1Widened([scope])).toEqual(widened ? [scope] : []);
  });

  it('names exactly the scopes a v1 request widens', () => {
    expect(v1Widened(['patient/Observation.rs', 'patient/Patient.rus', 'patient/Task.cruds', 'patient/Consent.cru', 'openid'])).toEqual(['patient/Patient.rus', 'patient/Consent.cru']);
  });
});
