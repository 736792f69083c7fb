import { describe, expect, it } from 'vitest';
import { normalizeFhirUser } from './fhir-user';

const BASE = 'https://ehr.example/api/FHIR/R4';

describe('normalizeFhirUser', () => {
  it.each([
    ['Patient/pat-1', 'Patient/pat-1'],
    ['Practitioner/dr.1', 'Practitioner/dr.1'],
    ['PractitionerRole/r-1', 'PractitionerRole/r-1'],
    ['RelatedPerson/rp-1', 'RelatedPerson/rp-1'],
    ['Person/p-1', 'Person/p-1'],
    [`${BASE}/Patient/pat-1`, 'Patient/pat-1'],
    [`${BASE}/Practitioner/eAbC123`, 'Practitioner/eAbC123'],
    ['HTTPS://EHR.EXAMPLE/api/FHIR/R4/Practitioner/x', 'Practitioner/x'],
  ])('%s → %s', (claim, expected) => {
    expect(normalizeFhirUser(claim, BASE)).toMatchObject({ ok: true, reference: expected });
  });

  it('accepts a base given with a trailing slash', () => {
    expect(normalizeFhirUser(`${BASE}/Patient/pat-1`, `${BASE}/`)).toMatchObject({ ok: true, reference: 'Patient/pat-1' });
  });

  it.each([
    ['https://evil.example/api/FHIR/R4/Practitioner/x', 'other-server'],
    ['https://ehr.example/other/FHIR/Practitioner/x', 'other-server'],
    ['https://ehr.example/api/FHIR/R4x/Practitioner/x', 'other-server'],
    ['https://ehr.example:8443/api/FHIR/R4/Practitioner/x', 'other-server'],
    ['http://ehr.example/api/FHIR/R4/Practitioner/x', 'other-server'],
    [`${BASE}/Practitioner/x/_history/2`, 'malformed'],
    [`${BASE}/Practitioner/x?a=b`, 'malformed'],
    [`${BASE}/Practitioner/x#frag`, 'malformed'],
    [`${BASE}/Practitioner`, 'malformed'],
    ['Practitioner/has space', 'malformed'],
    ['Practitioner/' + 'a'.repeat(65), 'malformed'],
    ['Practitioner/', 'malformed'],
    ['', 'malformed'],
    ['javascript:alert(1)', 'malformed'],
    ['Organization/org-1', 'unsupported-type'],
    ['Device/d-1', 'unsupported-type'],
    [`${BASE}/Group/g-1`, 'unsupported-type'],
  ])('refuses %s (%s)', (claim, reason) => {
    expect(normalizeFhirUser(claim, BASE)).toEqual({ ok: false, reason });
  });
});
