/**
 * Issue 11 at engine level: rules that cannot decide fail closed, hints name only the
 * restriction that applied, break-glass leaves the labels it never overrides alone.
 */
import type { Bundle, Coding, Consent, ConsentProvision, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { LABELS, restrictActor, restrictLabels, shareWithPractitioner } from './build';
import { BREAK_GLASS_NEVER_OVERRIDES, CONSENT_SYSTEMS } from './codes';
import { applyConsent, decideForResource, decideForType, permitsResource, whyHidden, CONSENT_WHY_SYSTEM, type ConsentContext } from './enforce';
import { HIV_TEST, NOW } from './fixtures';

const me = 'Practitioner/prac-002';
function ctx(partial: Partial<ConsentContext> = {}): ConsentContext {
  return { patientId: 'pat-001', actor: { reference: me, roles: [], memberOf: [] }, purposeOfUse: 'TREAT', consents: [], now: NOW, policy: { noConsent: 'permit' }, ...partial };
}

/** A patient-privacy consent of pat-001 with the given root type and nested rules. */
function consent(id: string, type: 'permit' | 'deny', provision: Omit<ConsentProvision, 'type'> = {}): Consent {
  return {
    resourceType: 'Consent', id, meta: { versionId: '1' }, status: 'active',
    scope: { coding: [{ system: CONSENT_SYSTEMS.scope, code: 'patient-privacy' }] },
    category: [{ coding: [{ system: CONSENT_SYSTEMS.loinc, code: '59284-0' }] }],
    patient: { reference: 'Patient/pat-001' },
    policyRule: { coding: [{ system: CONSENT_SYSTEMS.actCode, code: type === 'permit' ? 'OPTIN' : 'OPTOUT' }] },
    provision: { type, ...provision },
  };
}
/** Root deny (nothing shared) with one nested permit: an opt-in share. */
const optIn = (id: string, rule: Omit<ConsentProvision, 'type'>) => consent(id, 'deny', { provision: [{ type: 'permit', actor: [{ role: { coding: [{ system: CONSENT_SYSTEMS.participationType, code: 'IRCP' }] }, reference: { reference: me } }], ...rule }] });
/** Root permit with one nested deny: a restriction. */
const restriction = (id: string, rule: Omit<ConsentProvision, 'type'>) => consent(id, 'permit', { provision: [{ type: 'deny', ...rule }] });

const obs = (extra: Partial<Observation> = {}): Observation => ({ resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [HIV_TEST] }, subject: { reference: 'Patient/pat-001' }, effectiveDateTime: '2024-06-01', ...extra });
const noDate = (): Observation => { const o = obs(); delete o.effectiveDateTime; return o; };
const noCode = (): Observation => ({ ...obs(), code: { text: 'free text only' } });
const shown = (c: ConsentContext, r: Resource) => permitsResource(decideForResource(c, r, 'access'), r);

describe('a rule the resource cannot answer fails closed (issue 11)', () => {
  const period = { dataPeriod: { start: '2024-01-01', end: '2024-12-31' } };
  const code = { code: [{ coding: [HIV_TEST] }] };
  const author = { data: [{ meaning: 'authoredby' as const, reference: { reference: 'Practitioner/prac-009' } }] };
  const dependents = { data: [{ meaning: 'dependents' as const, reference: { reference: 'DocumentReference/d1' } }] };
  const deny = { noConsent: 'deny' as const };
  it.each([
    // element, consent, resource, policy, shown
    ['dataPeriod: dated inside the share', optIn('s', period), obs(), deny, true],
    ['dataPeriod: dated outside the share', optIn('s', period), obs({ effectiveDateTime: '2023-06-01' }), deny, false],
    ['dataPeriod: no date does not permit', optIn('s', period), noDate(), deny, false],
    ['dataPeriod: a restriction with no date to judge denies', restriction('r', period), noDate(), { noConsent: 'permit' as const }, false],
    ['dataPeriod: a restriction outside the data date lets it through', restriction('r', period), obs({ effectiveDateTime: '2023-06-01' }), { noConsent: 'permit' as const }, true],
    ['code: matching code is shared', optIn('s', code), obs(), deny, true],
    ['code: no code does not permit', optIn('s', code), noCode(), deny, false],
    ['code: a restriction on a code denies a resource with no code', restriction('r', code), noCode(), { noConsent: 'permit' as const }, false],
    ['authoredby: unknown author does not permit', optIn('s', author), obs(), deny, false],
    ['authoredby: the named author is shared', optIn('s', author), obs({ performer: [{ reference: 'Practitioner/prac-009' }] }), deny, true],
    ['authoredby: a restriction with no author to judge denies', restriction('r', author), obs(), { noConsent: 'permit' as const }, false],
    ['authoredby: a restriction on another author lets it through', restriction('r', author), obs({ performer: [{ reference: 'Practitioner/prac-001' }] }), { noConsent: 'permit' as const }, true],
    ['dependents: data referring to the target is restricted', restriction('r', dependents), obs({ derivedFrom: [{ reference: 'DocumentReference/d1' }] }), { noConsent: 'permit' as const }, false],
    ['dependents: data not referring to it passes', restriction('r', dependents), obs(), { noConsent: 'permit' as const }, true],
    ['dependents: a share of the target does not cover unrelated data', optIn('s', dependents), obs(), deny, false],
  ] as const)('%s', (_name, c, resource, policy, expected) => {
    expect(shown(ctx({ consents: [c], policy }), resource)).toBe(expected);
  });

  it('a consent with no root type and no policy rule never permits (uninterpretable)', () => {
    const bare = { ...optIn('s', {}), policyRule: undefined, provision: { provision: [{ type: 'permit' as const, actor: [{ role: { text: 'recipient' }, reference: { reference: me } }] }] } } as Consent;
    const d = decideForType(ctx({ consents: [bare], policy: { noConsent: 'permit' } }), 'Observation', 'access');
    expect(d.decision).toBe('deny');
    expect(d.reasons).toContain('consent-uninterpretable');
  });

  it('a share for access only does not cover a change (checklist #29)', () => {
    const share = shareWithPractitioner({ patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'], id: 'share' });
    const deny = ctx({ consents: [share], policy: { noConsent: 'deny' } });
    expect(decideForType(deny, 'Observation', 'access').decision).toBe('permit');
    expect(decideForType(deny, 'Observation', 'correct').decision).toBe('deny');
  });

  it('a resource hidden only because a rule could not be answered still says why, in general terms', () => {
    const c = ctx({ consents: [optIn('s', period)], policy: { noConsent: 'deny' } });
    const out = applyConsent({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: noDate() }] } as Bundle, c).body as Bundle;
    expect(out.meta?.tag?.filter((t) => t.system === CONSENT_WHY_SYSTEM).map((t) => t.code)).toEqual(['restricted']);
  });

  it('a decision still asking to be decided per resource never shows it', () => {
    const d = { decision: 'permit' as const, reasons: ['consent-permit' as const], consentIds: ['s'], obligations: [{ type: 'decide-per-resource' as const, elements: ['dataPeriod' as const] }] };
    expect(permitsResource(d, obs())).toBe(false);
  });
});

describe('purpose of use is the requester’s, not a constant (issue 11)', () => {
  const treatOnly = shareWithPractitioner({ patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'], id: 'share', purpose: 'TREAT' } as never);
  it('a share limited to treatment does not permit operations', () => {
    expect(decideForType(ctx({ consents: [treatOnly], policy: { noConsent: 'deny' } }), 'Observation', 'access').decision).toBe('permit');
    expect(decideForType(ctx({ consents: [treatOnly], policy: { noConsent: 'deny' }, purposeOfUse: 'HOPERAT' }), 'Observation', 'access').decision).toBe('deny');
  });
});

describe('hints name no label: neither the restriction’s nor the record’s (issue 11, then the counting review)', () => {
  const labelled = (labels: Coding[]) => obs({ meta: { security: labels } });
  it('a restriction of R says “label”, not R and not the HIV label the withheld record also carries', () => {
    const r = restrictLabels({ patientId: 'pat-001', labels: [LABELS.restricted], id: 'c-r' });
    const out = applyConsent({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: labelled([LABELS.veryRestricted, LABELS.hiv]) }] } as Bundle, ctx({ consents: [r] }));
    const why = (out.body as Bundle).meta?.tag?.filter((t) => t.system === CONSENT_WHY_SYSTEM).map((t) => t.code);
    expect(why).toEqual(['label']);
  });
  it('a deny decided by a label rule names no label', () => {
    const r = restrictLabels({ patientId: 'pat-001', labels: [LABELS.substanceUse], id: 'c-sud' });
    const res = labelled([LABELS.substanceAbuse, LABELS.hiv, LABELS.mentalHealth]);
    expect(whyHidden(decideForResource(ctx({ consents: [r] }), res, 'access'), res, [r])).toEqual(['label']);
  });
});

describe('break-glass never overrides the configured labels (issue 11)', () => {
  const shutOut = restrictActor({ patientId: 'pat-001', actor: me, id: 'c-out' });
  const btg = ctx({ consents: [shutOut], purposeOfUse: 'BTG', policy: { noConsent: 'permit', breakGlassNeverOverrides: BREAK_GLASS_NEVER_OVERRIDES } });
  it('opens ordinary data with an alert, keeps substance-use data (SUD or ETH) withheld', () => {
    const plain = obs();
    const sud = obs({ id: 'o2', meta: { security: [LABELS.substanceAbuse] } });
    expect(shown(btg, plain)).toBe(true);
    const d = decideForResource(btg, sud, 'access');
    expect(d.decision).toBe('deny');
    expect(d.reasons).toContain('break-glass-excluded');
    const type = decideForType(btg, 'Observation', 'access');
    expect(type.obligations).toEqual([{ type: 'audit-alert' }, { type: 'redact', securityLabels: [{ system: CONSENT_SYSTEMS.actCode, code: 'SUD' }] }]);
  });
  it('without the setting, break-glass opens everything (the old behaviour, now a choice)', () => {
    const open = { ...btg, policy: { noConsent: 'permit' as const } };
    expect(shown(open, obs({ meta: { security: [LABELS.substanceUse] } }))).toBe(true);
  });
  it('data under an excluded label the patient did not restrict is not touched', () => {
    const none = { ...btg, consents: [] };
    expect(shown(none, obs({ meta: { security: [LABELS.substanceUse] } }))).toBe(true);
  });
});
