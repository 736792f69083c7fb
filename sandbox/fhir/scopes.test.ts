import { describe, expect, it } from 'vitest';
import { decide, parseScopes } from './scopes';

const perms = (scope: string): string[] => parseScopes(scope).map((g) => `${g.context}/${g.resourceType}:${[...g.permissions].join('')}`);

describe('parseScopes', () => {
  it('maps SMART v1 read, write and * to v2 permissions', () => {
    expect(perms('patient/Observation.read user/*.write system/Patient.*')).toEqual([
      'patient/Observation:rs',
      'user/*:cud',
      'system/Patient:cruds',
    ]);
  });

  it('parses SMART v2 permissions and query restrictions', () => {
    const [grant] = parseScopes('patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory');
    expect([...(grant?.permissions ?? [])]).toEqual(['r', 's']);
    expect(grant?.restriction).toEqual([['category', 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory']]);
    expect(perms('user/*.cruds')).toEqual(['user/*:cruds']);
  });

  it('ignores non-resource scopes and malformed permission strings', () => {
    expect(perms('openid fhirUser launch launch/patient offline_access patient/Observation.sr patient/Observation.rx patient/observation.rs')).toEqual([]);
  });
});

describe('decide', () => {
  const grants = parseScopes('patient/*.rs user/Practitioner.rs patient/Observation.c');

  it('confines patient grants to the token patient and leaves user grants unconfined', () => {
    expect(decide(grants, 'Observation', 's', 'pat-001')).toEqual({ patientId: 'pat-001', restrictions: [] });
    expect(decide(grants, 'Practitioner', 'r', 'pat-001')).toEqual({ restrictions: [] });
    expect(decide(grants, 'Observation', 'c', 'pat-001')).toEqual({ patientId: 'pat-001', restrictions: [] });
  });

  it('grants nothing without a matching permission, or patient scopes without a patient', () => {
    expect(decide(grants, 'Observation', 'u', 'pat-001')).toBeUndefined();
    expect(decide(grants, 'Condition', 'd', 'pat-001')).toBeUndefined();
    expect(decide(grants, 'Observation', 's', undefined)).toBeUndefined();
  });

  it('prefers an unrestricted grant over restricted ones and carries restrictions otherwise', () => {
    const restricted = parseScopes('patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs');
    expect(decide(restricted, 'Observation', 's', 'p')).toEqual({
      patientId: 'p',
      restrictions: [[['category', 'laboratory']], [['category', 'vital-signs']]],
    });
    const mixed = parseScopes('patient/Observation.rs?category=laboratory patient/*.rs');
    expect(decide(mixed, 'Observation', 's', 'p')).toEqual({ patientId: 'p', restrictions: [] });
  });
});
