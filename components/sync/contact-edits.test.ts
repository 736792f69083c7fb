/**
 * Issue 12: the contact form's edits change the one entry shown, and a new address inherits
 * neither the narrative nor the period of the one it replaces.
 */
import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { multiAddressPatient, oldHome, work } from '@/lib/sync/multi-address-patient.testing';
import { enqueue } from '@/lib/sync';
import { contactEdits, contactValues } from './contact-edits';

const patient = multiAddressPatient;

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
