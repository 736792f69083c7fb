/**
 * Issue 12, "Edits touch only what the person changed": an address or phone edit changes the one
 * entry the person edited, never every entry with the same use, and the new address does not
 * inherit the old one's narrative or period.
 */
import { describe, expect, it } from 'vitest';
import { currentHome, multiAddressPatient, oldHome, work } from './multi-address-patient.testing';
import { EntryNotFoundError, entryRef } from './list-keys';
import { enqueue, mutations } from './mutations';

const patient = multiAddressPatient;

describe('editAddress', () => {
  it('changes only the address it names, even when another has the same use', () => {
    const change = mutations.editAddress(patient, { use: 'home', address: { line: ['9 New Lane'], city: 'Newtown' }, entry: entryRef(patient.address!, 2) });
    expect(change.payload!.address).toEqual([currentHome, work, { use: 'home', line: ['9 New Lane'], city: 'Newtown' }]);
  });

  it('finds the entry by content when the list moved, and refuses to guess when it is gone', () => {
    const moved = { ...patient, address: [work, currentHome, oldHome] };
    const change = mutations.editAddress(moved, { use: 'home', address: null, entry: entryRef(patient.address!, 0) });
    expect(change.payload!.address).toEqual([work, oldHome]);
    const gone = { ...patient, address: [work, oldHome] };
    expect(() => mutations.editAddress(gone, { use: 'home', address: null, entry: entryRef(patient.address!, 0) })).toThrow(EntryNotFoundError);
  });
});

describe('editTelecom', () => {
  it('removes or changes one phone of two with the same system and use', () => {
    const ref = entryRef(patient.telecom!, 1);
    expect(mutations.editTelecom(patient, { system: 'phone', use: 'mobile', value: null, entry: ref }).payload!.telecom).toEqual([patient.telecom![0], patient.telecom![2]]);
    expect(mutations.editTelecom(patient, { system: 'phone', use: 'mobile', value: '555-0777', entry: ref }).payload!.telecom!.map((t) => t.value)).toEqual(['555-0101', '555-0777', 'a@example.test']);
  });

  it('without an entry removes only the first phone of the pair, not both', () => {
    expect(mutations.editTelecom(patient, { system: 'phone', use: 'mobile', value: null }).payload!.telecom!.map((t) => t.value)).toEqual(['555-0199', 'a@example.test']);
  });
});

