import { describe, expect, it } from 'vitest';
import { LABELS, patientDefault, restrictLabels, shareWithPractitioner } from './build';
import { consentSentence, CONSENT_PREVIEW_EXTENSION, describeConsent } from './describe';

const NOW = new Date('2026-03-01T12:00:00Z');

describe('describeConsent', () => {
  it('says who can see what, until when, and keeps the confirmed preview', () => {
    const c = { ...shareWithPractitioner({ patientId: 'p', id: 'c1', practitionerId: 'dr-1', display: 'Dr. Ann Able', resourceTypes: ['AllergyIntolerance'], period: { start: '2026-02-01T00:00:00Z', end: '2026-04-01T00:00:00Z' } }), extension: [{ url: CONSENT_PREVIEW_EXTENSION, valueString: 'Your allergies' }] };
    const s = describeConsent(c, NOW);
    expect(s).toMatchObject({ id: 'c1', kind: 'share', who: 'Dr. Ann Able', what: 'allergies', until: '1 April 2026', status: 'active', revocable: true, preview: 'Your allergies' });
    expect(consentSentence(s)).toBe('Dr. Ann Able can see allergies.');
  });

  it('never shows an id: a recipient recorded without a name is said in words', () => {
    const c = shareWithPractitioner({ patientId: 'p', id: 'c2', practitionerId: 'dr-1', resourceTypes: ['AllergyIntolerance'] });
    const s = describeConsent(c, NOW);
    expect(s.who).toBe('a clinician, name not recorded');
    expect(consentSentence(s)).toBe('A clinician, name not recorded can see allergies.');
    expect(JSON.stringify(s)).not.toContain('dr-1');
  });

  it('marks a share whose period has ended as expired and not revocable', () => {
    const c = shareWithPractitioner({ patientId: 'p', id: 'c2', practitionerId: 'dr-1', period: { start: '2026-01-01T00:00:00Z', end: '2026-02-01T00:00:00Z' } });
    expect(describeConsent(c, NOW)).toMatchObject({ status: 'expired', revocable: false, what: 'your whole record' });
  });

  it('describes a label restriction as a denial for everyone', () => {
    const s = describeConsent(restrictLabels({ patientId: 'p', id: 'c3', labels: [LABELS.mentalHealth] }), NOW);
    expect(consentSentence(s)).toBe('No one can see information marked mental health.');
  });

  it("names the patient's own default in plain words, whichever way it goes", () => {
    const only = describeConsent(patientDefault({ patientId: 'p', id: 'd1', rule: 'deny' }), NOW);
    expect(only).toMatchObject({ kind: 'default', status: 'active', revocable: true });
    expect(consentSentence(only)).toBe('Only the people you share with can see your record.');
    expect(consentSentence(describeConsent(patientDefault({ patientId: 'p', id: 'd2', rule: 'permit' }), NOW))).toBe('Anyone caring for you can see what you have not restricted.');
  });
});
