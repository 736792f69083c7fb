import type { Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { patientDefault, restrictAll, shareWithPractitioner } from './build';
import { CONSENT_SYSTEMS } from './codes';
import { CONSENTS as C, NOW } from './fixtures';
import { findOverlaps } from './overlap';

const share = (id: string, extra: Partial<Parameters<typeof shareWithPractitioner>[0]> = {}): Consent =>
  shareWithPractitioner({ id, patientId: 'pat-001', practitionerId: 'prac-001', resourceTypes: ['Observation'], purpose: 'TREAT', ...extra });

const denyFor = (id: string, purpose: string): Consent => ({
  ...restrictAll({ id, patientId: 'pat-001' }),
  provision: { type: 'deny', purpose: [{ system: CONSENT_SYSTEMS.actReason, code: purpose }] },
});

describe('findOverlaps()', () => {
  it('finds two identical shares', () => {
    const findings = findOverlaps([share('a'), share('b')], NOW);
    expect(findings.map((f) => [f.code, f.consentIds])).toEqual([['duplicate-consent', ['a', 'b']]]);
  });

  it('explains in text that names consents, not the patient or recipient', () => {
    const [finding] = findOverlaps([share('a'), share('b')], NOW);
    expect(finding?.text).toContain('a');
    expect(finding?.text).toContain('b');
    expect(finding?.text).not.toMatch(/pat-001|prac-001/);
  });

  it.each<[string, Consent]>([
    ['a different purpose', share('b', { purpose: 'HPAYMT' })],
    ['a different resource type', share('b', { resourceTypes: ['Condition'] })],
    ['a different recipient', share('b', { practitionerId: 'prac-002' })],
    ['a non-overlapping period', share('b', { period: { start: '2027-01-01' } })],
    ['an excluded label', share('b', { excludeLabels: [{ system: CONSENT_SYSTEMS.actCode, code: 'PSY' }] })],
  ])('two shares that differ by %s are not duplicates', (_name, other) => {
    expect(findOverlaps([share('a', { period: { end: '2026-12-31' } }), other], NOW)).toEqual([]);
  });

  it('finds a share and a restriction that contradict, permit first', () => {
    const findings = findOverlaps([C.restrictAll, C.shareAllWithGp], NOW);
    expect(findings).toEqual([
      { code: 'conflicting-consent', consentIds: ['share-gp', 'restrict-all'], text: expect.stringContaining('denial takes precedence') },
    ]);
  });

  it('a restriction on another recipient does not conflict with a share', () => {
    expect(findOverlaps([C.shareAllWithGp, C.restrictSpecialist], NOW)).toEqual([]);
  });

  it('purposes conflict through ActReason subsumption (TREAT vs ETREAT) but not across branches (TREAT vs HRESCH)', () => {
    expect(findOverlaps([share('a'), denyFor('d', 'ETREAT')], NOW).map((f) => f.code)).toEqual(['conflicting-consent']);
    expect(findOverlaps([share('a'), denyFor('d', 'HRESCH')], NOW)).toEqual([]);
  });

  it('ignores consents that are not active, expired, or another patient’s', () => {
    const ignored = [C.draftShare, C.revokedShare, C.enteredInErrorShare, C.expiredShareWithSpecialist, C.otherPatientRestrictAll];
    expect(findOverlaps([C.shareAllWithGp, ...ignored], NOW)).toEqual([]);
  });

  it('compares scheduled consents, which will overlap', () => {
    const findings = findOverlaps([share('a', { period: { start: '2027-01-01' } }), share('b', { period: { start: '2027-02-01' } })], NOW);
    expect(findings.map((f) => f.code)).toEqual(['duplicate-consent']);
  });

  it('reports every pair, sorted by code then ids', () => {
    const findings = findOverlaps([share('c'), share('a'), C.restrictAll, share('b')], NOW);
    expect(findings.map((f) => `${f.code}:${f.consentIds.join('+')}`)).toEqual([
      'conflicting-consent:a+restrict-all',
      'conflicting-consent:b+restrict-all',
      'conflicting-consent:c+restrict-all',
      'duplicate-consent:a+b',
      'duplicate-consent:c+a',
      'duplicate-consent:c+b',
    ]);
  });
});

describe('findOverlaps: patient defaults', () => {
  const now = new Date('2026-11-01T09:00:00Z');
  it('does not call a share under "only the people I share with" a conflict, but flags a repeated default', () => {
    const only = patientDefault({ patientId: 'pat-001', id: 'd1', rule: 'deny' });
    const share = shareWithPractitioner({ patientId: 'pat-001', id: 's1', practitionerId: 'prac-1' });
    expect(findOverlaps([only, share], now)).toEqual([]);
    expect(findOverlaps([only, share, { ...only, id: 'd2' }], now).map((f) => [f.code, f.consentIds])).toEqual([['duplicate-consent', ['d1', 'd2']]]);
  });
});
