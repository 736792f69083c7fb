import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { changedFields, editableField, failureWords, fieldLabel, fieldText, unsentWork, withFieldText } from './change-words';

const base: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '1' },
  birthDate: '1970-01-01',
  telecom: [{ system: 'email', use: 'home', value: 'a@example.org' }, { system: 'phone', use: 'mobile', value: '555-0000' }],
  address: [{ use: 'home', line: ['1 Old Road'], city: 'Oldtown', postalCode: '111' }],
};

describe('change words', () => {
  it('names the details a change touched, with before and after, matched by meaning', () => {
    const payload: Patient = { ...base, telecom: [base.telecom![0]!, { system: 'phone', use: 'mobile', value: '555-1234' }] };
    expect(changedFields({ op: 'update', baseCopy: base, payload })).toEqual([{ unit: 'telecom[phone|mobile]', label: 'Mobile phone', before: '555-0000', after: '555-1234' }]);
    const moved: Patient = { ...base, address: [{ use: 'home', line: ['2 New Street'], city: 'Newtown', postalCode: '222' }] };
    expect(changedFields({ op: 'update', baseCopy: base, payload: moved })).toEqual([{ unit: 'address[home]', label: 'Home address', before: '1 Old Road, Oldtown, 111', after: '2 New Street, Newtown, 222' }]);
    expect(fieldLabel('telecom[email|home].value')).toBe('Email');
    expect(fieldLabel('gender')).toBe('gender');
  });

  it('explains each failure code in plain words, never with server text', () => {
    expect(failureWords({ code: 'http-422', status: 422 })).toMatch(/did not accept this change/);
    expect(failureWords({ code: 'scope-not-granted', status: 403 })).toMatch(/not given permission/);
    expect(failureWords({ code: 'consent-denied', status: 403 })).toMatch(/sharing choices/);
    expect(failureWords({ code: 'http-404', status: 404 })).toMatch(/no longer has this record/);
    // issue 12: a 409 is never "busy, try again" (an update's 409 goes to review; a create's clashes).
    expect(failureWords({ code: 'http-409', status: 409 })).toBe('Your clinic’s system already holds a record that clashes with this one. Check it, then try again or discard it.');
    expect(failureWords({ code: 'duplicate', status: 409 })).toMatch(/clashes with this one/);
    expect(failureWords({ code: 'http-418' })).toBe('Your clinic’s system refused this change (error 418).');
    expect(failureWords(undefined)).toBe('Your clinic’s system refused this change.');
  });

  it('counts the unsent work a sign-out would erase, and nothing when all is saved', () => {
    expect(unsentWork({ waiting: 0, failed: 0, needsReview: 0 })).toBeNull();
    expect(unsentWork({ waiting: 1, failed: 0, needsReview: 0 })).toEqual({ total: 1, headline: '1 change has not reached your clinic', details: ['1 change waiting to be sent'] });
    expect(unsentWork({ waiting: 2, failed: 1, needsReview: 1 })).toEqual({
      total: 4,
      headline: '4 changes have not reached your clinic',
      details: ['2 changes waiting to be sent', '1 change your clinic did not accept', '1 change waiting for your review'],
    });
  });

  it('edits one detail of a copy: a phone by meaning, an address from one line, a plain field', () => {
    expect(editableField('telecom[phone|mobile]')).toEqual({ kind: 'telecom', system: 'phone', use: 'mobile' });
    expect(editableField('name[official]')).toBeNull();
    expect(fieldText(base, 'telecom[phone|mobile]')).toBe('555-0000');
    expect(fieldText(base, 'address[home]')).toBe('1 Old Road, Oldtown, 111');

    const phone = withFieldText(base, 'telecom[phone|mobile]', ' 555-9999 ');
    expect(phone.telecom).toEqual([base.telecom![0], { system: 'phone', use: 'mobile', value: '555-9999' }]);
    expect(base.telecom![1]!.value).toBe('555-0000');
    const added = withFieldText(base, 'telecom[phone|home]', '555-7777');
    expect(added.telecom?.[2]).toEqual({ system: 'phone', use: 'home', value: '555-7777' });
    const removed = withFieldText(base, 'telecom[email|home]', '');
    expect(removed.telecom).toEqual([base.telecom![1]]);
    expect(withFieldText(base, 'address[home]', '9 Edit Lane, Edittown, 999').address).toEqual([{ use: 'home', line: ['9 Edit Lane'], city: 'Edittown', postalCode: '999' }]);
    expect(withFieldText(base, 'birthDate', '1971-02-03').birthDate).toBe('1971-02-03');
  });
});
