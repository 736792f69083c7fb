import { describe, expect, it } from 'vitest';
import { decisionRequestSchema, type DecisionRequestInput } from './schema';

const valid: DecisionRequestInput = {
  patient: 'Patient/pat-001',
  actor: { reference: 'Practitioner/prac-001' },
  purposeOfUse: 'TREAT',
  action: 'access',
  resourceType: 'Observation',
};

describe('decisionRequestSchema', () => {
  it('accepts a minimal request and fills the defaults', () => {
    expect(decisionRequestSchema.parse(valid)).toEqual({
      ...valid,
      actor: { reference: 'Practitioner/prac-001', roles: [], memberOf: [] },
      securityLabels: [],
    });
  });

  it('accepts every optional attribute of the data', () => {
    const full = {
      ...valid,
      securityLabels: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }],
      date: '2026-03-04T10:00:00+02:00',
      code: [{ system: 'http://loinc.org', code: '2339-0' }],
      resource: 'Observation/obs-001-0001',
      references: ['Patient/pat-001', 'Encounter/enc-1'],
      authors: ['Practitioner/prac-001'],
    };
    expect(decisionRequestSchema.safeParse(full).success).toBe(true);
    for (const date of ['2026', '2026-03', '2026-03-04', '2026-03-04T10:00:00.123Z']) {
      expect(decisionRequestSchema.safeParse({ ...valid, date }).success).toBe(true);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    ['an absolute actor URL', { actor: { reference: 'https://evil.example/Practitioner/1' } }],
    ['a patient that is not a Patient', { patient: 'Practitioner/prac-001' }],
    ['a bare patient id', { patient: 'pat-001' }],
    ['a lower-case purpose', { purposeOfUse: 'treat' }],
    ['an action outside consentaction', { action: 'delete' }],
    ['a dateTime without a timezone', { date: '2026-03-04T10:00:00' }],
    ['a date that is not a date', { date: 'yesterday' }],
    ['a label without a code', { securityLabels: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode' }] }],
    ['a misspelt key (securityLabel)', { securityLabel: [{ code: 'PSY' }] }],
    ['an unknown actor key', { actor: { reference: 'Practitioner/prac-001', role: [] } }],
  ])('refuses %s', (_name, change) => {
    expect(decisionRequestSchema.safeParse({ ...valid, ...change }).success).toBe(false);
  });
});
