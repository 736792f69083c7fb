import type { Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { LABELS, patientDefault, restrictActor, shareWith, shareWithPractitioner } from './build';
import { CONSENT_SYSTEMS } from './codes';
import { decide, mustRedact } from './decide';
import { actor, CONSENTS as C, GLUCOSE_TEST, HIV_TEST, NOW, POLICIES, REFS, ROLES, request } from './fixtures';
import type { DecisionRequest } from './schema';
import type { Decision, DecisionPolicy, Obligation, ReasonCode } from './types';

interface Case {
  name: string;
  consents: Consent[];
  request?: Partial<DecisionRequest>;
  policy?: DecisionPolicy;
  expected: Decision;
}

const permit = (reasons: ReasonCode[], consentIds: string[] = [], obligations: Obligation[] = []): Decision => ({ decision: 'permit', reasons, consentIds, obligations });
const deny = (reasons: ReasonCode[], consentIds: string[] = []): Decision => ({ decision: 'deny', reasons, consentIds, obligations: [] });
const redact = (...securityLabels: { system: string; code: string }[]): Obligation => ({ type: 'redact', securityLabels: securityLabels.map(({ system, code }) => ({ system, code })) });
const perResource = (...elements: ('dataPeriod' | 'code' | 'data')[]): Obligation => ({ type: 'decide-per-resource', elements });
const AUDIT_ALERT: Obligation = { type: 'audit-alert' };

const specialist = actor(REFS.specialist, [ROLES.doctor]);
const { denyByDefault: DENY, permitByDefault: PERMIT } = POLICIES;
const psy = [LABELS.mentalHealth];

const periods: Case[] = [
  { name: 'share in force: inside its period', consents: [C.shareObservationsWithSpecialist], request: { actor: specialist }, policy: DENY, expected: permit(['consent-permit'], ['share-spec-obs']) },
  { name: 'share after its period ended falls to the default, saying why', consents: [C.expiredShareWithSpecialist], request: { actor: specialist }, policy: DENY, expected: deny(['default-deny', 'outside-period']) },
  { name: 'share before its period starts falls to the default', consents: [C.futureShareWithSpecialist], request: { actor: specialist }, policy: DENY, expected: deny(['default-deny', 'outside-period']) },
  { name: 'open-ended share (no period) is in force', consents: [C.shareAllWithGp], policy: DENY, expected: permit(['consent-permit'], ['share-gp']) },
  { name: 'a date-only period end covers that whole day', consents: [C.shareEndingToday], request: { actor: specialist }, policy: DENY, expected: permit(['consent-permit'], ['share-spec-today']) },
  { name: 'a consent recorded after now (dateTime, no start) is not in force', consents: [C.shareRecordedTomorrow], request: { actor: specialist }, policy: DENY, expected: deny(['default-deny', 'outside-period']) },
  { name: 'an expired restriction no longer restricts', consents: [{ ...C.restrictAll, provision: { type: 'deny', period: { end: '2026-10-31' } } }], policy: PERMIT, expected: permit(['default-permit', 'outside-period']) },
  {
    name: 'a nested exception outside its own period does not apply',
    consents: [{ ...C.restrictAll, provision: { type: 'deny', provision: [{ type: 'permit', period: { start: '2026-09-01', end: '2026-09-30' } }] } }],
    policy: PERMIT,
    expected: deny(['consent-deny'], ['restrict-all']),
  },
];

const statuses: Case[] = [
  { name: 'draft share grants nothing', consents: [C.draftShare], policy: DENY, expected: deny(['default-deny']) },
  { name: 'proposed share grants nothing', consents: [C.proposedShare], policy: DENY, expected: deny(['default-deny']) },
  { name: 'revoked (inactive) share grants nothing', consents: [C.revokedShare], policy: DENY, expected: deny(['default-deny']) },
  { name: 'rejected share grants nothing', consents: [C.rejectedShare], policy: DENY, expected: deny(['default-deny']) },
  { name: 'entered-in-error share grants nothing', consents: [C.enteredInErrorShare], policy: DENY, expected: deny(['default-deny']) },
  { name: 'revoked restriction restricts nothing', consents: [C.revokedRestriction], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'a consent of another scope (research) is not a privacy directive', consents: [{ ...C.restrictAll, scope: { coding: [{ system: CONSENT_SYSTEMS.scope, code: 'research' }] } }], policy: PERMIT, expected: permit(['default-permit']) },
];

const actors: Case[] = [
  { name: 'share with the GP does not cover the specialist', consents: [C.shareAllWithGp], request: { actor: specialist }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'an Organization actor covers its members', consents: [C.shareWithPracticeNurses], request: { actor: actor(REFS.nurse, [ROLES.nurse], [REFS.org]) }, policy: DENY, expected: permit(['consent-permit'], ['share-org-nurses']) },
  { name: 'a role on the actor narrows it: a doctor of the practice is not a nurse', consents: [C.shareWithPracticeNurses], request: { actor: actor(REFS.gp, [ROLES.doctor], [REFS.org]) }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'a nurse outside the practice is not covered', consents: [C.shareWithPracticeNurses], request: { actor: actor(REFS.nurse, [ROLES.nurse]) }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'a RelatedPerson sees what was shared with them', consents: [C.shareMedicationsWithRelative], request: { actor: actor(REFS.relative), purposeOfUse: 'PATRQT', resourceType: 'MedicationRequest' }, policy: DENY, expected: permit(['consent-permit'], ['share-relative-meds']) },
  { name: 'the app may write (collect) when permitted', consents: [C.shareWriteWithApp], request: { actor: actor(REFS.app), action: 'collect' }, policy: DENY, expected: permit(['consent-permit'], ['share-app-write']) },
  { name: 'the app may not read when only writing was permitted', consents: [C.shareWriteWithApp], request: { actor: actor(REFS.app), action: 'access' }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'a restricted actor is denied', consents: [C.restrictSpecialist], request: { actor: specialist }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-spec']) },
  { name: 'a restriction on one actor leaves others to the default', consents: [C.restrictSpecialist], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'an absolute actor reference still matches', consents: [shareWith({ id: 'abs', patientId: 'pat-001', recipient: 'https://ehr.example/fhir/Practitioner/prac-001/_history/3' })], policy: DENY, expected: permit(['consent-permit'], ['abs']) },
  {
    name: 'an identifier-only actor in a deny fails closed',
    consents: [{ ...C.restrictSpecialist, provision: { type: 'deny', actor: [{ role: { text: 'recipient' }, reference: { identifier: { value: 'x' } } }] } }],
    policy: PERMIT,
    expected: deny(['consent-deny'], ['restrict-spec']),
  },
  {
    name: 'a requester the launch could not prove: a restriction naming someone applies (fails closed)',
    consents: [C.restrictSpecialist],
    request: { actor: { ...actor(REFS.app), verified: false } },
    policy: PERMIT,
    expected: deny(['consent-deny'], ['restrict-spec']),
  },
  {
    name: 'a requester the launch could not prove is not the one a share names',
    consents: [C.shareAllWithGp],
    request: { actor: { ...actor(REFS.gp), verified: false } },
    policy: DENY,
    expected: deny(['default-deny']),
  },
  {
    name: 'a requester the launch could not prove still gets the default where no rule names an actor',
    consents: [C.restrictResearch],
    request: { actor: { ...actor(REFS.app), verified: false } },
    policy: PERMIT,
    expected: permit(['default-permit']),
  },
  {
    name: 'an identifier-only actor in a permit grants nothing',
    consents: [{ ...C.shareAllWithGp, provision: { type: 'permit', actor: [{ role: { text: 'recipient' }, reference: { identifier: { value: 'x' } } }] } }],
    policy: DENY,
    expected: deny(['default-deny']),
  },
];

const purposes: Case[] = [
  { name: 'treatment-only share does not cover payment', consents: [C.shareWithGpForTreatment], request: { purposeOfUse: 'HPAYMT' }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'treatment covers emergency treatment (ActReason subsumption)', consents: [C.shareWithGpForTreatment], request: { purposeOfUse: 'ETREAT' }, policy: DENY, expected: permit(['consent-permit'], ['share-gp-treat']) },
  { name: 'a research restriction covers clinical-trial research', consents: [C.restrictResearch], request: { purposeOfUse: 'CLINTRCH' }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-research']) },
  { name: 'a research restriction leaves treatment alone', consents: [C.restrictResearch], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'data labelled for research only cannot be used for treatment', consents: [C.shareAllWithGp], request: { securityLabels: [{ system: CONSENT_SYSTEMS.actReason, code: 'HRESCH' }] }, policy: PERMIT, expected: deny(['purpose-conflict']) },
];

const nested: Case[] = [
  { name: 'share with a nested label deny: permit, redact the label', consents: [C.shareWithGpExceptMentalHealth], policy: DENY, expected: permit(['consent-permit', 'label-restricted'], ['share-gp-no-psy'], [redact(LABELS.mentalHealth)]) },
  { name: 'share with a nested label deny, data carries the label: deny', consents: [C.shareWithGpExceptMentalHealth], request: { securityLabels: psy }, policy: DENY, expected: deny(['consent-deny', 'label-restricted'], ['share-gp-no-psy']) },
  { name: 'two levels: the emergency exception to the exception permits', consents: [C.gpWithEmergencyException], request: { securityLabels: psy, purposeOfUse: 'ETREAT' }, policy: DENY, expected: permit(['consent-permit'], ['share-gp-emergency']) },
  { name: 'two levels: routine treatment of labelled data is denied', consents: [C.gpWithEmergencyException], request: { securityLabels: psy }, policy: DENY, expected: deny(['consent-deny', 'label-restricted'], ['share-gp-emergency']) },
  { name: 'two levels: routine treatment gets a redaction', consents: [C.gpWithEmergencyException], policy: DENY, expected: permit(['consent-permit', 'label-restricted'], ['share-gp-emergency'], [redact(LABELS.mentalHealth)]) },
  { name: 'two levels: emergency treatment needs no redaction', consents: [C.gpWithEmergencyException], request: { purposeOfUse: 'ETREAT' }, policy: DENY, expected: permit(['consent-permit'], ['share-gp-emergency']) },
  { name: 'a label restriction with a nested permit lets the GP see labelled data', consents: [C.restrictMentalHealthExceptGp], request: { securityLabels: psy }, policy: DENY, expected: permit(['consent-permit'], ['restrict-psy-except-gp']) },
  { name: 'the same restriction denies the specialist', consents: [C.restrictMentalHealthExceptGp], request: { actor: specialist, securityLabels: psy }, policy: PERMIT, expected: deny(['consent-deny', 'label-restricted'], ['restrict-psy-except-gp']) },
];

const labels: Case[] = [
  { name: 'a restriction on SUD covers data labelled OPIOIDUD', consents: [C.restrictSensitive], request: { securityLabels: [{ system: CONSENT_SYSTEMS.actCode, code: 'OPIOIDUD' }] }, policy: PERMIT, expected: deny(['consent-deny', 'label-restricted'], ['restrict-sensitive']) },
  { name: 'a restriction on SUD covers data labelled with the older ETH', consents: [C.restrictSensitive], request: { securityLabels: [LABELS.substanceAbuse] }, policy: PERMIT, expected: deny(['consent-deny', 'label-restricted'], ['restrict-sensitive']) },
  { name: 'unlabelled data under a label restriction: default permit, redact both labels', consents: [C.restrictSensitive], policy: PERMIT, expected: permit(['default-permit', 'label-restricted'], ['restrict-sensitive'], [redact(LABELS.mentalHealth, LABELS.substanceUse)]) },
  { name: 'a restriction on R covers V data', consents: [C.restrictRestricted], request: { securityLabels: [LABELS.veryRestricted] }, policy: PERMIT, expected: deny(['consent-deny', 'label-restricted'], ['restrict-r']) },
  { name: 'a restriction on R leaves N data, with a redaction', consents: [C.restrictRestricted], request: { securityLabels: [LABELS.normal] }, policy: PERMIT, expected: permit(['default-permit', 'label-restricted'], ['restrict-r'], [redact(LABELS.restricted)]) },
  { name: 'a permit for N is a clearance: R data is not covered', consents: [withLabels(C.shareAllWithGp, [LABELS.normal])], request: { securityLabels: [LABELS.restricted] }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'a permit for N covers unlabelled data', consents: [withLabels(C.shareAllWithGp, [LABELS.normal])], policy: DENY, expected: permit(['consent-permit'], ['share-gp']) },
];

const classes: Case[] = [
  { name: 'an Observations-only share covers Observations', consents: [C.shareObservationsWithSpecialist], request: { actor: specialist, resourceType: 'Observation' }, policy: DENY, expected: permit(['consent-permit'], ['share-spec-obs']) },
  { name: 'an Observations-only share does not cover Conditions', consents: [C.shareObservationsWithSpecialist], request: { actor: specialist, resourceType: 'Condition' }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'a DocumentReference restriction denies documents', consents: [C.restrictDocuments], request: { resourceType: 'DocumentReference' }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-docs']) },
  { name: 'a class in an unknown system fails closed in a deny', consents: [{ ...C.restrictDocuments, provision: { type: 'deny', class: [{ system: 'urn:oid:2.16.840.1.113883.6.1', code: '34133-9' }] } }], policy: PERMIT, expected: deny(['consent-deny'], ['restrict-docs']) },
];

const dataConditions: Case[] = [
  { name: 'recent-data share covers a 2026 result', consents: [C.shareRecentDataWithSpecialist], request: { actor: specialist, date: '2026-03-04T10:00:00Z' }, policy: DENY, expected: permit(['consent-permit'], ['share-spec-recent']) },
  { name: 'recent-data share does not cover a 2025 result', consents: [C.shareRecentDataWithSpecialist], request: { actor: specialist, date: '2025-05-01' }, policy: DENY, expected: deny(['default-deny']) },
  { name: 'recent-data share covers a date given as the year 2026', consents: [C.shareRecentDataWithSpecialist], request: { actor: specialist, date: '2026' }, policy: DENY, expected: permit(['consent-permit'], ['share-spec-recent']) },
  { name: 'recent-data share without a date: permit, decide per resource', consents: [C.shareRecentDataWithSpecialist], request: { actor: specialist }, policy: DENY, expected: permit(['consent-permit', 'data-dependent'], ['share-spec-recent'], [perResource('dataPeriod')]) },
  { name: 'old-data restriction denies a 2019 result', consents: [C.restrictOldData], request: { date: '2019-06-01' }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-old']) },
  { name: 'old-data restriction denies a date that straddles its end (2019-12 vs end 2019-12-31)', consents: [C.restrictOldData], request: { date: '2019-12' }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-old']) },
  { name: 'old-data restriction without a date: default permit, decide per resource', consents: [C.restrictOldData], policy: PERMIT, expected: permit(['default-permit', 'data-dependent'], ['restrict-old'], [perResource('dataPeriod')]) },
  { name: 'code restriction denies an HIV test', consents: [C.restrictHivTests], request: { code: [HIV_TEST] }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-hiv-code']) },
  { name: 'code restriction leaves a glucose test', consents: [C.restrictHivTests], request: { code: [GLUCOSE_TEST] }, policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'code restriction without codes: decide per resource', consents: [C.restrictHivTests], policy: PERMIT, expected: permit(['default-permit', 'data-dependent'], ['restrict-hiv-code'], [perResource('code')]) },
  { name: 'instance restriction denies that Observation', consents: [C.restrictOneObservation], request: { resource: 'Observation/obs-001-0009' }, policy: PERMIT, expected: deny(['consent-deny'], ['restrict-obs-9']) },
  { name: 'instance restriction leaves another Observation', consents: [C.restrictOneObservation], request: { resource: 'Observation/obs-001-0010' }, policy: PERMIT, expected: permit(['default-permit']) },
];

const combining: Case[] = [
  { name: 'deny overrides permit across consents', consents: [C.shareAllWithGp, C.restrictAll], policy: PERMIT, expected: deny(['consent-deny'], ['restrict-all']) },
  { name: 'a restriction on someone else does not undo a share', consents: [C.shareAllWithGp, C.restrictSpecialist], policy: DENY, expected: permit(['consent-permit'], ['share-gp']) },
  { name: 'two permits both count', consents: [C.shareAllWithGp, C.shareWithGpForTreatment], policy: DENY, expected: permit(['consent-permit'], ['share-gp', 'share-gp-treat']) },
  { name: 'a share plus a separate label restriction: permit with redaction', consents: [C.shareAllWithGp, C.restrictSensitive], policy: DENY, expected: permit(['consent-permit', 'label-restricted'], ['share-gp', 'restrict-sensitive'], [redact(LABELS.mentalHealth, LABELS.substanceUse)]) },
  { name: 'no consents, permit by default', consents: [], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'no consents, deny by default', consents: [], policy: DENY, expected: deny(['default-deny']) },
  { name: "another patient's restriction is ignored", consents: [C.otherPatientRestrictAll], policy: PERMIT, expected: permit(['default-permit']) },
  { name: "another patient's share grants nothing", consents: [C.otherPatientShareWithGp], policy: DENY, expected: deny(['default-deny']) },
  { name: 'a consent with a modifier extension is read as a denial', consents: [{ ...C.shareAllWithGp, modifierExtension: [{ url: 'https://example.org/x', valueBoolean: true }] }], policy: PERMIT, expected: deny(['consent-deny', 'consent-uninterpretable'], ['share-gp']) },
  { name: 'a root with no type takes it from policyRule OPTOUT', consents: [{ ...C.restrictAll, provision: {}, policyRule: { coding: [{ system: CONSENT_SYSTEMS.actCode, code: 'OPTOUT' }] } }], policy: PERMIT, expected: deny(['consent-deny'], ['restrict-all']) },
  { name: 'a consent without an id is named by position', consents: [C.shareAllWithGp, { ...C.restrictAll, id: undefined }], policy: PERMIT, expected: deny(['consent-deny'], ['#1']) },
];

const special: Case[] = [
  { name: 'break-glass by a practitioner overrides a restriction', consents: [C.restrictAll], request: { purposeOfUse: 'BTG' }, policy: DENY, expected: { decision: 'permit', reasons: ['break-glass', 'consent-deny'], consentIds: ['restrict-all'], obligations: [AUDIT_ALERT] } },
  { name: 'break-glass overrides a redaction too', consents: [C.shareWithGpExceptMentalHealth], request: { purposeOfUse: 'BTG', securityLabels: psy }, policy: DENY, expected: { decision: 'permit', reasons: ['break-glass', 'consent-deny', 'label-restricted'], consentIds: ['share-gp-no-psy'], obligations: [AUDIT_ALERT] } },
  { name: 'break-glass with no consents at all, deny by default', consents: [], request: { purposeOfUse: 'BTG' }, policy: DENY, expected: { decision: 'permit', reasons: ['break-glass', 'default-deny'], consentIds: [], obligations: [AUDIT_ALERT] } },
  { name: 'break-glass disabled by policy', consents: [C.restrictAll], request: { purposeOfUse: 'BTG' }, policy: POLICIES.noBreakGlass, expected: deny(['consent-deny', 'break-glass-unavailable'], ['restrict-all']) },
  { name: 'break-glass is not open to a RelatedPerson', consents: [C.restrictAll], request: { purposeOfUse: 'BTG', actor: actor(REFS.relative) }, policy: DENY, expected: deny(['consent-deny', 'break-glass-unavailable'], ['restrict-all']) },
  { name: 'the patient reads their own record despite a restriction', consents: [C.restrictAll], request: { actor: actor(REFS.patient), purposeOfUse: 'PATRQT' }, policy: DENY, expected: permit(['patient-self']) },
  { name: 'a malformed actor reference is refused', consents: [C.shareAllWithGp], request: { actor: actor('not a reference') }, policy: PERMIT, expected: deny(['invalid-input']) },
];

function withLabels(consent: Consent, securityLabel: { system: string; code: string }[]): Consent {
  return { ...consent, provision: { ...consent.provision, securityLabel } };
}

const onlyWhomIShare = patientDefault({ id: 'only-shared', patientId: 'pat-001', rule: 'deny', dateTime: '2026-10-01T00:00:00Z' });
const shareAnything = patientDefault({ id: 'share-default', patientId: 'pat-001', rule: 'permit', dateTime: '2026-10-01T00:00:00Z' });
const restrictSpecialist = restrictActor({ id: 'no-spec', patientId: 'pat-001', actor: REFS.specialist });

const patientDefaults: Case[] = [
  { name: "the patient's own deny default replaces the deployment's permit", consents: [onlyWhomIShare], policy: PERMIT, expected: deny(['patient-default-deny'], ['only-shared']) },
  { name: 'a share counts under the patient’s deny default (it is not a deny-everything rule)', consents: [onlyWhomIShare, C.shareObservationsWithSpecialist], request: { actor: specialist }, policy: PERMIT, expected: permit(['consent-permit'], ['share-spec-obs']) },
  { name: 'what the share does not cover stays denied by the patient’s default', consents: [onlyWhomIShare, C.shareObservationsWithSpecialist], request: { actor: specialist, resourceType: 'Condition' }, policy: PERMIT, expected: deny(['patient-default-deny'], ['only-shared']) },
  { name: 'once the share is revoked, the patient’s default denies again', consents: [onlyWhomIShare, { ...C.shareObservationsWithSpecialist, status: 'inactive' }], request: { actor: specialist }, policy: PERMIT, expected: deny(['patient-default-deny'], ['only-shared']) },
  { name: "the patient's permit default replaces the deployment's deny", consents: [shareAnything], policy: DENY, expected: permit(['patient-default-permit'], ['share-default']) },
  { name: 'a restriction still overrides the patient’s permit default', consents: [shareAnything, restrictSpecialist], request: { actor: specialist }, policy: DENY, expected: deny(['consent-deny'], ['no-spec']) },
  { name: 'with both defaults recorded, deny wins', consents: [shareAnything, onlyWhomIShare], policy: PERMIT, expected: deny(['patient-default-deny'], ['only-shared']) },
  { name: 'a revoked patient default falls back to the deployment', consents: [{ ...onlyWhomIShare, status: 'inactive' }], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'a patient default recorded for another patient is ignored', consents: [{ ...onlyWhomIShare, patient: { reference: REFS.otherPatient } }], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'a patient default whose period ended falls back to the deployment', consents: [patientDefault({ id: 'old', patientId: 'pat-001', rule: 'deny', period: { start: '2026-01-01', end: '2026-10-31' } })], policy: PERMIT, expected: permit(['default-permit']) },
  { name: 'an unmarked OPTOUT consent with no provision is not a default: it denies everything, shares included', consents: [{ ...onlyWhomIShare, category: [] }, C.shareObservationsWithSpecialist], request: { actor: specialist }, policy: PERMIT, expected: deny(['consent-deny'], ['only-shared']) },
];

const groups = { periods, statuses, actors, purposes, nested, labels, classes, dataConditions, combining, special, patientDefaults };

describe('decide()', () => {
  for (const [group, cases] of Object.entries(groups)) {
    describe(group, () => {
      it.each(cases)('$name', ({ consents, request: overrides, policy, expected }) => {
        expect(decide(request(overrides), consents, NOW, policy ?? PERMIT)).toEqual(expected);
      });
    });
  }

  it('has at least 40 table cases', () => {
    expect(Object.values(groups).flat().length).toBeGreaterThanOrEqual(40);
  });

  it('refuses an unreadable clock', () => {
    expect(decide(request(), [C.shareAllWithGp], new Date('nonsense'), PERMIT)).toEqual(deny(['invalid-input']));
  });

  it('is pure: the same inputs give the same decision and consents are not changed', () => {
    const consents = [C.shareWithGpExceptMentalHealth, C.restrictSensitive];
    const before = JSON.stringify(consents);
    const first = decide(request(), consents, NOW, DENY);
    expect(decide(request(), consents, NOW, DENY)).toEqual(first);
    expect(JSON.stringify(consents)).toBe(before);
  });

  it('gives the same answer per resource that the redaction obligation promised', () => {
    const consents = [C.shareWithGpExceptMentalHealth];
    const query = decide(request(), consents, NOW, DENY);
    for (const securityLabels of [[], psy, [{ system: CONSENT_SYSTEMS.actCode, code: 'HIV' }]]) {
      const perResource = decide(request({ securityLabels }), consents, NOW, DENY);
      expect(perResource.decision === 'deny').toBe(mustRedact(query, securityLabels));
    }
  });

  it('a share built for one resource type and purpose reads back as built', () => {
    const share = shareWithPractitioner({ id: 's', patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Condition'], purpose: ['TREAT'], period: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T08:59:59Z' } });
    expect(decide(request({ actor: specialist, resourceType: 'Condition' }), [share], NOW, DENY)).toEqual(deny(['default-deny', 'outside-period']));
    expect(decide(request({ actor: specialist, resourceType: 'Condition' }), [share], new Date('2026-11-01T08:59:59.500Z'), DENY).decision).toBe('permit');
  });
});

describe('mustRedact()', () => {
  const decision = permit(['consent-permit'], ['x'], [redact(LABELS.restricted, LABELS.substanceUse)]);
  it.each([
    ['V data under a redaction of R', [LABELS.veryRestricted], true],
    ['R data', [LABELS.restricted], true],
    ['N data', [LABELS.normal], false],
    ['unlabelled data', [], false],
    ['OPIOIDUD data under a redaction of SUD', [{ system: CONSENT_SYSTEMS.actCode, code: 'OPIOIDUD' }], true],
    ['HIV data', [LABELS.hiv], false],
  ])('%s', (_name, dataLabels, expected) => {
    expect(mustRedact(decision, dataLabels)).toBe(expected);
  });
});

describe('decide() with a raw request', () => {
  it('applies the schema defaults itself rather than throwing', () => {
    const raw = { patient: REFS.patient, actor: { reference: REFS.gp }, purposeOfUse: 'TREAT', action: 'access', resourceType: 'Observation' } as unknown as DecisionRequest;
    expect(decide(raw, [C.shareWithGpExceptMentalHealth], NOW, DENY)).toEqual(permit(['consent-permit', 'label-restricted'], ['share-gp-no-psy'], [redact(LABELS.mentalHealth)]));
  });
});
