import type { Coding, Consent, ConsentProvision } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { restrictAll } from './build';
import { CONSENT_ACTIONS, CONSENT_SYSTEMS } from './codes';
import { decide } from './decide';
import { NOW, REFS } from './fixtures';
import type { DecisionRequest } from './schema';
import { REASONS, type Decision, type DecisionPolicy } from './types';

const PATIENTS = [REFS.patient, REFS.otherPatient];
const ACTORS = [REFS.gp, REFS.specialist, REFS.nurse, REFS.org, REFS.relative, REFS.app, REFS.patient, 'PractitionerRole/pr-1', 'not a ref'];
const PURPOSES = ['TREAT', 'ETREAT', 'BTG', 'PATRQT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'CLINTRCH', 'PUBHLTH', 'ZZZ'];
const TYPES = ['Observation', 'Condition', 'DocumentReference', 'MedicationRequest'];
const DATES = ['2019', '2019-12', '2020-01-01', '2026-03-04T10:00:00Z', '2026-11-01', '2027-01-01T00:00:00+05:00', '2026-02-30', 'junk', ''];

const label: fc.Arbitrary<Coding & { code: string }> = fc.constantFrom(
  { system: CONSENT_SYSTEMS.confidentiality, code: 'N' },
  { system: CONSENT_SYSTEMS.confidentiality, code: 'R' },
  { system: CONSENT_SYSTEMS.confidentiality, code: 'V' },
  { system: CONSENT_SYSTEMS.actCode, code: 'PSY' },
  { system: CONSENT_SYSTEMS.actCode, code: 'SUD' },
  { system: CONSENT_SYSTEMS.actCode, code: 'ETHUD' },
  { system: CONSENT_SYSTEMS.actCode, code: 'HIV' },
  { system: CONSENT_SYSTEMS.actReason, code: 'TREAT' },
  { system: 'urn:example:other', code: 'X' },
);
const code: fc.Arbitrary<Coding & { code: string }> = fc.constantFrom({ system: 'http://loinc.org', code: '20447-9' }, { system: 'http://loinc.org', code: '2339-0' }, { code: '2339-0' });
const reference = fc.constantFrom('Observation/o1', 'Observation/o2', 'Encounter/e1', REFS.gp);

const requestArb: fc.Arbitrary<DecisionRequest> = fc.record(
  {
    patient: fc.constantFrom(...PATIENTS),
    actor: fc.record({
      reference: fc.constantFrom(...ACTORS),
      roles: fc.array(fc.constantFrom({ system: 'http://snomed.info/sct', code: '224535009' }, { code: 'doctor' }), { maxLength: 2 }),
      memberOf: fc.array(fc.constantFrom(REFS.org, 'CareTeam/ct-1', 'bad'), { maxLength: 2 }),
    }),
    purposeOfUse: fc.constantFrom(...PURPOSES),
    action: fc.constantFrom(...CONSENT_ACTIONS),
    resourceType: fc.constantFrom(...TYPES),
    securityLabels: fc.array(label, { maxLength: 3 }),
    date: fc.constantFrom(...DATES),
    code: fc.array(code, { maxLength: 2 }),
    resource: reference,
    references: fc.array(reference, { maxLength: 2 }),
    authors: fc.array(reference, { maxLength: 2 }),
  },
  { requiredKeys: ['patient', 'actor', 'purposeOfUse', 'action', 'resourceType', 'securityLabels'] },
);

const period = fc.record({ start: fc.constantFrom(...DATES), end: fc.constantFrom(...DATES) }, { requiredKeys: [] });

const provisionArb: fc.Arbitrary<ConsentProvision> = fc.letrec<{ provision: ConsentProvision }>((tie) => ({
  provision: fc.record(
    {
      type: fc.constantFrom<'permit' | 'deny'>('permit', 'deny'),
      period,
      actor: fc.array(
        fc.record({
          role: fc.constantFrom({ coding: [{ system: CONSENT_SYSTEMS.participationType, code: 'IRCP' }] }, { coding: [{ system: 'http://snomed.info/sct', code: '224535009' }] }, { text: 'who' }),
          reference: fc.constantFrom({ reference: REFS.gp }, { reference: REFS.org }, { reference: REFS.specialist }, { identifier: { value: 'x' } }, { reference: '#contained' }),
        }),
        { maxLength: 2 },
      ),
      action: fc.array(fc.constantFrom({ coding: [{ system: CONSENT_SYSTEMS.action, code: 'access' }] }, { coding: [{ code: 'collect' }] }, { text: 'read' }), { maxLength: 2 }),
      securityLabel: fc.array(fc.oneof(label, fc.constant({ system: CONSENT_SYSTEMS.actCode })), { maxLength: 2 }),
      purpose: fc.array(fc.constantFrom(...PURPOSES).map((c) => ({ system: CONSENT_SYSTEMS.actReason, code: c })), { maxLength: 2 }),
      class: fc.array(fc.constantFrom(...TYPES, 'urn:profile').map((c) => ({ system: c.startsWith('urn') ? 'urn:ietf:rfc:3986' : CONSENT_SYSTEMS.resourceTypes, code: c })), { maxLength: 2 }),
      code: fc.array(code.map((c) => ({ coding: [c] })), { maxLength: 1 }),
      dataPeriod: period,
      data: fc.array(fc.record({ meaning: fc.constantFrom<'instance' | 'related' | 'dependents' | 'authoredby'>('instance', 'related', 'dependents', 'authoredby'), reference: reference.map((r) => ({ reference: r })) }), { maxLength: 2 }),
      provision: fc.array(tie('provision'), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
})).provision;

const consentArb: fc.Arbitrary<Consent> = fc.record(
  {
    resourceType: fc.constant('Consent' as const),
    id: fc.constantFrom('c1', 'c2', 'c3', 'c4'),
    status: fc.constantFrom<Consent['status']>('draft', 'proposed', 'active', 'active', 'active', 'inactive', 'rejected', 'entered-in-error'),
    scope: fc.constantFrom({ coding: [{ system: CONSENT_SYSTEMS.scope, code: 'patient-privacy' }] }, { coding: [{ system: CONSENT_SYSTEMS.scope, code: 'research' }] }),
    category: fc.constant([]),
    patient: fc.constantFrom(...PATIENTS, 'https://ehr.example/fhir/Patient/pat-001').map((r) => ({ reference: r })),
    dateTime: fc.constantFrom(...DATES),
    policyRule: fc.constantFrom({ coding: [{ system: CONSENT_SYSTEMS.actCode, code: 'OPTIN' }] }, { coding: [{ system: CONSENT_SYSTEMS.actCode, code: 'OPTOUT' }] }, { text: 'local' }),
    provision: provisionArb,
  },
  { requiredKeys: ['resourceType', 'status', 'scope', 'category'] },
);

const policyArb: fc.Arbitrary<DecisionPolicy> = fc.record({ noConsent: fc.constantFrom<'permit' | 'deny'>('permit', 'deny'), breakGlass: fc.constantFrom<'enabled' | 'disabled'>('enabled', 'disabled') });
const consentsArb = fc.array(consentArb, { maxLength: 4 });
const RUNS = { numRuns: 400 };

function wellFormed(decision: Decision): void {
  expect(['permit', 'deny']).toContain(decision.decision);
  expect(decision.reasons.length).toBeGreaterThan(0);
  for (const reason of decision.reasons) expect(Object.keys(REASONS)).toContain(reason);
  for (const o of decision.obligations) expect(['redact', 'audit-alert', 'decide-per-resource']).toContain(o.type);
  if (decision.decision === 'deny') expect(decision.obligations).toEqual([]);
}

describe('decide() properties', () => {
  it('never throws and always returns a well-formed decision', () => {
    fc.assert(
      fc.property(requestArb, consentsArb, policyArb, (request, consents, policy) => {
        wellFormed(decide(request, consents, NOW, policy));
      }),
      RUNS,
    );
  });

  it('adding an active deny-everything consent never turns a deny into a permit, and denies unless break-glass or self-access', () => {
    fc.assert(
      fc.property(requestArb, consentsArb, policyArb, (request, consents, policy) => {
        const before = decide(request, consents, NOW, policy);
        const restriction = restrictAll({ id: 'deny-everything', patientId: request.patient.slice('Patient/'.length) });
        const after = decide(request, [...consents, restriction], NOW, policy);
        if (before.decision === 'deny') expect(after.decision).toBe('deny');
        if (after.decision === 'permit') expect(after.reasons[0]).toMatch(/^(break-glass|patient-self)$/);
      }),
      RUNS,
    );
  });

  it('other patients’ consents never change the decision', () => {
    fc.assert(
      fc.property(requestArb, consentsArb, consentsArb, policyArb, (request, mine, theirs, policy) => {
        const forPatient = (c: Consent) => c.patient?.reference?.endsWith(request.patient) === true;
        const own = mine.filter(forPatient);
        const others = theirs.filter((c) => !forPatient(c)).map((c, i) => ({ ...c, id: `other-${i}` }));
        expect(decide(request, [...own, ...others], NOW, policy)).toEqual(decide(request, own, NOW, policy));
      }),
      RUNS,
    );
  });

  it('the order of consents does not matter', () => {
    fc.assert(
      fc.property(requestArb, consentsArb, policyArb, (request, generated, policy) => {
        // Consents without an id are named by position, which reversing changes; name them first.
        const consents = generated.map((c, i) => ({ ...c, id: c.id ?? `n${i}` }));
        const forward = decide(request, consents, NOW, policy);
        const backward = decide(request, [...consents].reverse(), NOW, policy);
        expect(backward.decision).toBe(forward.decision);
        expect(new Set(backward.reasons)).toEqual(new Set(forward.reasons));
        expect(new Set(backward.consentIds)).toEqual(new Set(forward.consentIds));
      }),
      RUNS,
    );
  });
});
