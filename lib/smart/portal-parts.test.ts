import { describe, expect, it } from 'vitest';
import { parseSmartConfig } from './config';
import { downloadableTypes, isPortalPart, portalPartAccess, sharesPatientRecord, workflowScopes } from './portal-parts';

const issuerWith = (scopes: Record<string, unknown>, vendor = 'sandbox') =>
  parseSmartConfig(JSON.stringify({ issuers: [{ id: 'x', name: 'X', vendor, enabled: false, fhirBaseUrl: 'https://x.test/fhir', clientId: '', clientAuth: { method: 'none' }, scopes }] }), 'smart-config.json').issuers[0]!;

const issuer = issuerWith({
  clinician: ['user/Observation.rs'],
  patient: ['patient/Patient.rs', 'patient/Observation.rs'],
  portalParts: { results: ['patient/Observation.rs'], appointments: ['patient/Appointment.rs', 'patient/Encounter.rs'] },
});

describe('portal parts in the issuer config', () => {
  it('are optional, and a part name or scope of the wrong shape is refused with the field named', () => {
    expect(issuerWith({ clinician: ['user/Observation.rs'], patient: ['patient/Patient.rs'] }).scopes.portalParts).toEqual({});
    expect(() => issuerWith({ clinician: ['user/Observation.rs'], patient: ['patient/Patient.rs'], portalParts: { 'Results!': ['patient/Observation.rs'] } })).toThrow(/portalParts/);
    expect(() => issuerWith({ clinician: ['user/Observation.rs'], patient: ['patient/Patient.rs'], portalParts: { results: ['Observation'] } })).toThrow(/SMART v2 resource scope/);
    expect(() => issuerWith({ clinician: ['user/Observation.rs'], patient: ['patient/Patient.rs'], portalParts: { results: [] } })).toThrow(/portalParts/);
  });

  it('count towards the oracle-health wildcard rule', () => {
    expect(() => issuerWith({ clinician: ['user/Observation.rs'], patient: ['patient/Patient.rs'], portalParts: { results: ['patient/*.rs'] } }, 'oracle-health')).toThrow(/wildcard/);
  });

  it('make a patient launch ask for the base and every part once; a clinician launch asks for its own', () => {
    expect(workflowScopes(issuer, 'patient')).toEqual(['patient/Patient.rs', 'patient/Observation.rs', 'patient/Appointment.rs', 'patient/Encounter.rs']);
    expect(workflowScopes(issuer, 'clinician')).toEqual(['user/Observation.rs']);
  });

  it('name the only places a launch may return to', () => {
    expect(isPortalPart(issuer, 'results')).toBe(true);
    expect(isPortalPart(issuer, 'https://evil.example')).toBe(false);
    expect(isPortalPart(issuer, '../chart')).toBe(false);
    expect(isPortalPart(issuer, 'toString')).toBe(false);
    expect(isPortalPart(issuer, null)).toBe(false);
  });
});

describe('whether a part was shared', () => {
  it('is shared when every scope it needs was granted, v2 or v1', () => {
    expect(portalPartAccess(issuer, 'results', 'openid patient/Patient.rs patient/Observation.rs')).toEqual({ shared: true, missing: [] });
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.read').shared).toBe(true);
    expect(portalPartAccess(issuer, 'results', 'patient/*.rs').shared).toBe(true);
  });

  it('names what is missing when the EHR granted less', () => {
    expect(portalPartAccess(issuer, 'results', 'openid patient/Patient.rs')).toEqual({ shared: false, missing: ['patient/Observation.rs'] });
    expect(portalPartAccess(issuer, 'appointments', 'patient/Appointment.rs')).toEqual({ shared: false, missing: ['patient/Encounter.rs'] });
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.s').shared).toBe(false);
  });

  it('accepts a grant narrowed to the category the part reads, and not one narrowed to another', () => {
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.rs?category=laboratory', 'laboratory').shared).toBe(true);
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory', 'laboratory').shared).toBe(true);
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.rs?category=vital-signs', 'laboratory').shared).toBe(false);
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.rs?category=laboratory&code=1234-5', 'laboratory').shared).toBe(false);
    expect(portalPartAccess(issuer, 'results', 'patient/Observation.rs?category=laboratory').shared).toBe(false);
  });

  it('needs nothing for a part the config does not define', () => {
    expect(portalPartAccess(issuer, 'nothing', 'patient/*.rs')).toEqual({ shared: true, missing: [] });
  });
});

describe('whether anything of the record was shared', () => {
  it.each([
    ['openid fhirUser launch/patient offline_access', false],
    ['openid fhirUser patient/Practitioner.rs patient/Organization.rs patient/Medication.rs', false],
    ['openid fhirUser patient/Consent.c', false],
    ['system/Patient.rs', false],
    ['', false],
    ['openid fhirUser patient/Patient.r', true],
    ['openid fhirUser patient/Observation.rs?category=laboratory', true],
    ['openid fhirUser patient/Condition.read', true],
    ['openid fhirUser user/AllergyIntolerance.s', true],
    ['openid fhirUser patient/*.rs', true],
  ])('%s → %s', (scope, shared) => {
    expect(sharesPatientRecord(scope)).toBe(shared);
  });
});

describe('what sync may download', () => {
  const types = ['Patient', 'AllergyIntolerance', 'Condition', 'Observation'];
  it('keeps the types the grant lets be read whole, and leaves out a type narrowed to a category', () => {
    expect(downloadableTypes('openid patient/Patient.rs patient/Condition.rs patient/Observation.rs?category=laboratory', types)).toEqual(['Patient', 'Condition']);
    expect(downloadableTypes('openid patient/*.read', types)).toEqual(types);
    expect(downloadableTypes('openid fhirUser patient/Practitioner.rs', types)).toEqual([]);
  });
  it('asks a read of the Patient and a search of the rest', () => {
    expect(downloadableTypes('patient/Patient.s patient/Condition.r', types)).toEqual([]);
    expect(downloadableTypes('patient/Patient.r patient/Condition.s', types)).toEqual(['Patient', 'Condition']);
  });
});
