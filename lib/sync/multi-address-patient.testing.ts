/**
 * Test fixture: a patient with two home addresses (a current one and an old, dated one with a
 * narrative), a work address and two mobile phones, for edits that must touch one entry only.
 */
import type { Address, Patient } from '@medplum/fhirtypes';

export const oldHome: Address = { use: 'home', text: '1 Old Road, Oldtown ZZ 11111', line: ['1 Old Road'], city: 'Oldtown', state: 'ZZ', postalCode: '11111', country: 'US', period: { start: '2001-01-01', end: '2019-12-31' } };
export const currentHome: Address = { use: 'home', line: ['2 Current Street'], city: 'Testville', state: 'ZZ', postalCode: '00000', country: 'US', period: { start: '2020-01-01' } };
export const work: Address = { use: 'work', line: ['1 Fixture Way'], city: 'Testville' };
export const multiAddressPatient: Patient = {
  resourceType: 'Patient', id: 'pat-multi', meta: { versionId: '4' },
  address: [currentHome, work, oldHome],
  telecom: [{ system: 'phone', use: 'mobile', value: '555-0101' }, { system: 'phone', use: 'mobile', value: '555-0199' }, { system: 'email', use: 'home', value: 'a@example.test' }],
};
