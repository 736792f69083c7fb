/**
 * Issue 12: the contact form's edits change the one entry shown, and a new address inherits
 * neither the narrative nor the period of the one it replaces.
 */
import type { Address, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { enqueue } from '@/lib/sync';
import { contactEdits, contactValues } from './contact-edits';

const oldHome: Address = { use: 'home', text: '1 Old Road, Oldtown ZZ 11111', line: ['1 Old Road'], city: 'Oldtown', state: 'ZZ', postalCode: '11111', country: 'US', period: { start: '2001-01-01', end: '2019-12-31' } };
const currentHome: Address = { use: 'home', line: ['2 Current Street'], city: 'Testville', state: 'ZZ', postalCode: '00000', country: 'US', period: { start: '2020-01-01' } };
const work: Address = { use: 'work', line: ['1 Fixture Way'], city: 'Testville' };
const patient: Patient = {
  resourceType: 'Patient', id: 'pat-multi', meta: { versionId: '4' },
  address: [currentHome, work, oldHome],
  telecom: [{ system: 'phone', use: 'mobile', value: '555-0101' }, { system: 'phone', use: 'mobile', value: '555-0199' }, { system: 'email', use: 'home', value: 'a@example.test' }],
};

describe('the contact form’s edits on a patient with several addresses', () => {
  it('rewrites only the home address shown, with no narrative or period of the old one', () => {
    const typed = { ...contactValues(patient), line: '9 New Lane', city: 'Newtown', postalCode: '22222' };
    const edits = contactEdits(patient, typed);
    expect(edits.map((e) => e.name)).toEqual(['editAddress']);
    let current = patient;
    for (const edit of edits) current = enqueue([], edit.name, current, edit.args as never, { now: 0, newId: () => 'x' }).local as Patient;
    expect(current.address).toEqual([
      { use: 'home', line: ['9 New Lane'], city: 'Newtown', state: 'ZZ', postalCode: '22222', country: 'US' },
      work,
      oldHome,
    ]);
  });

  it('changes the phone shown and leaves the second mobile number alone', () => {
    const edits = contactEdits(patient, { ...contactValues(patient), phone: '555-0123' });
    let current = patient;
    for (const edit of edits) current = enqueue([], edit.name, current, edit.args as never, { now: 0, newId: () => 'x' }).local as Patient;
    expect(current.telecom!.map((t) => t.value)).toEqual(['555-0123', '555-0199', 'a@example.test']);
    expect(current.address).toEqual(patient.address);
  });

  it('queues nothing when nothing changed', () => {
    expect(contactEdits(patient, contactValues(patient))).toEqual([]);
  });
});
