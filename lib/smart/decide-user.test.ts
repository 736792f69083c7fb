import { describe, expect, it } from 'vitest';
import { decideUser, isPatientSelf, type DecideUserInput, type UserDecision } from './decide-user';

type Row = [string, DecideUserInput, UserDecision];

const rows: Row[] = [
  ['the patient in context, standalone', { fhirUser: 'Patient/pat-1', patientId: 'pat-1', standalone: true }, { kind: 'patient', fhirUser: 'Patient/pat-1', patientId: 'pat-1' }],
  ['the patient in context, EHR launch', { fhirUser: 'Patient/pat-1', patientId: 'pat-1', standalone: false }, { kind: 'patient', fhirUser: 'Patient/pat-1', patientId: 'pat-1' }],
  ['a practitioner, EHR launch', { fhirUser: 'Practitioner/dr-1', patientId: 'pat-1', standalone: false }, { kind: 'clinician', fhirUser: 'Practitioner/dr-1', patientId: 'pat-1' }],
  ['a practitioner, standalone (portal login)', { fhirUser: 'Practitioner/dr-1', patientId: 'pat-1', standalone: true }, { kind: 'clinician', fhirUser: 'Practitioner/dr-1', patientId: 'pat-1' }],
  ['a practitioner role, standalone', { fhirUser: 'PractitionerRole/role-1', patientId: 'pat-1', standalone: true }, { kind: 'clinician', fhirUser: 'PractitionerRole/role-1', patientId: 'pat-1' }],
  ['a practitioner, standalone, even where standalone logins are the patient', { fhirUser: 'Practitioner/dr-1', patientId: 'pat-1', standalone: true, standaloneUserIsPatient: true }, { kind: 'clinician', fhirUser: 'Practitioner/dr-1', patientId: 'pat-1' }],
  ['a related person', { fhirUser: 'RelatedPerson/rp-1', patientId: 'pat-1', standalone: true }, { kind: 'caregiver', fhirUser: 'RelatedPerson/rp-1' }],
  ['a related person without patient context', { fhirUser: 'RelatedPerson/rp-1', patientId: null, standalone: true }, { kind: 'caregiver', fhirUser: 'RelatedPerson/rp-1' }],
  ['another patient than the one in context', { fhirUser: 'Patient/pat-2', patientId: 'pat-1', standalone: true }, { kind: 'refused', reason: 'not-this-patient' }],
  ['another patient, where standalone logins are the patient', { fhirUser: 'Patient/pat-2', patientId: 'pat-1', standalone: true, standaloneUserIsPatient: true }, { kind: 'refused', reason: 'not-this-patient' }],
  ['no fhirUser, standalone', { fhirUser: null, patientId: 'pat-1', standalone: true }, { kind: 'refused', reason: 'no-fhir-user' }],
  ['no fhirUser, EHR launch', { fhirUser: null, patientId: 'pat-1', standalone: false }, { kind: 'refused', reason: 'no-fhir-user' }],
  ['no fhirUser, standalone, where standalone logins are the patient', { fhirUser: null, patientId: 'pat-1', standalone: true, standaloneUserIsPatient: true }, { kind: 'patient', fhirUser: 'Patient/pat-1', patientId: 'pat-1' }],
  ['no fhirUser, EHR launch, where standalone logins are the patient', { fhirUser: null, patientId: 'pat-1', standalone: false, standaloneUserIsPatient: true }, { kind: 'refused', reason: 'no-fhir-user' }],
  ['a Person', { fhirUser: 'Person/p-1', patientId: 'pat-1', standalone: true }, { kind: 'refused', reason: 'unsupported-user' }],
  ['a patient with no patient in context', { fhirUser: 'Patient/pat-1', patientId: null, standalone: true }, { kind: 'refused', reason: 'not-this-patient' }],
  ['something that is not Type/id', { fhirUser: 'https://ehr.example/fhir/Patient/pat-1', patientId: 'pat-1', standalone: true }, { kind: 'refused', reason: 'unsupported-user' }],
];

describe('decideUser', () => {
  it.each(rows)('%s', (_label, input, expected) => {
    expect(decideUser(input)).toEqual(expected);
  });
});

describe('isPatientSelf', () => {
  it.each([
    [{ workflow: 'patient', fhirUser: 'Patient/pat-1', patientId: 'pat-1' }, true],
    [{ workflow: 'patient', fhirUser: 'Practitioner/dr-1', patientId: 'pat-1' }, false],
    [{ workflow: 'patient', fhirUser: 'RelatedPerson/rp-1', patientId: 'pat-1' }, false],
    [{ workflow: 'patient', fhirUser: 'Patient/pat-2', patientId: 'pat-1' }, false],
    [{ workflow: 'patient', fhirUser: null, patientId: 'pat-1' }, false],
    [{ workflow: 'clinician', fhirUser: 'Patient/pat-1', patientId: 'pat-1' }, false],
    [{ workflow: 'clinician', fhirUser: 'Practitioner/dr-1', patientId: 'pat-1' }, false],
  ] as const)('%o → %s', (launch, expected) => {
    expect(isPatientSelf(launch)).toBe(expected);
  });
});
