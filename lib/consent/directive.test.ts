import { describe, expect, it } from 'vitest';
import { LABELS, patientDefault, restrictActor, restrictLabels, shareWithPractitioner } from './build';
import { consentDirective } from './directive';
import type { ConsentContext } from './enforce';
import { NOW, POLICIES, REFS } from './fixtures';

const TYPES = ['Condition', 'Observation', 'Patient'];
const ctx = (consents: ConsentContext['consents'], actor: string = REFS.specialist, policy: ConsentContext['policy'] = POLICIES.permitByDefault): ConsentContext => ({
  patientId: 'pat-001', actor: { reference: actor, roles: [], memberOf: [] }, purposeOfUse: 'TREAT', consents, now: NOW, policy,
});

describe('consentDirective', () => {
  it('names nothing when nothing is restricted', () => {
    expect(consentDirective(ctx([]), TYPES)).toEqual({ deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] }, wipe: false });
  });

  it("under the patient's own deny default, names every type the share does not cover, and after revocation the shared one too", () => {
    const only = patientDefault({ id: 'd', patientId: 'pat-001', rule: 'deny' });
    const share = shareWithPractitioner({ id: 's', patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'] });
    expect(consentDirective(ctx([only, share]), TYPES)).toMatchObject({ deniedTypes: ['Condition', 'Patient'], writeDenied: { create: TYPES, update: TYPES } });
    expect(consentDirective(ctx([only, { ...share, status: 'inactive' }]), TYPES).deniedTypes).toEqual(TYPES);
  });

  it('asks for a wipe exactly when the actor may see nothing of the patient (issue 5)', () => {
    const only = patientDefault({ id: 'd', patientId: 'pat-001', rule: 'deny' });
    const share = shareWithPractitioner({ id: 's', patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'] });
    const all = restrictActor({ id: 'x', patientId: 'pat-001', actor: REFS.specialist });
    const labels = restrictLabels({ id: 'r', patientId: 'pat-001', labels: [LABELS.mentalHealth] });
    const table: [string, ConsentContext, boolean][] = [
      ['no consents', ctx([]), false],
      ['this practitioner restricted entirely', ctx([all]), true],
      ['someone else restricted entirely', ctx([all], REFS.patient), false],
      ['only the people I share with, sharing nothing with this one', ctx([only]), true],
      ['only the people I share with, sharing one type with this one', ctx([only, share]), false],
      ['the same share revoked', ctx([only, { ...share, status: 'inactive' }]), true],
      ['labels withheld only', ctx([labels]), false],
    ];
    for (const [name, c, wipe] of table) expect([name, consentDirective(c, TYPES).wipe]).toEqual([name, wipe]);
    expect(consentDirective(ctx([all]), []).wipe).toBe(false);
  });

  it('lists labels to redact, and nothing for the patient themselves', () => {
    const restrict = restrictLabels({ id: 'r', patientId: 'pat-001', labels: [LABELS.mentalHealth] });
    expect(consentDirective(ctx([restrict]), TYPES)).toMatchObject({ deniedTypes: [], redactLabels: [{ system: LABELS.mentalHealth.system, code: 'PSY' }] });
    expect(consentDirective(ctx([restrict, patientDefault({ id: 'd', patientId: 'pat-001', rule: 'deny' })], REFS.patient), TYPES)).toEqual({ deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] }, wipe: false });
  });

  it('asks for a purge and refetch where the answer depends on each resource', () => {
    const onlyRecent = shareWithPractitioner({ id: 's', patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'] });
    onlyRecent.provision = { ...onlyRecent.provision, dataPeriod: { start: '2026-01-01' } };
    const d = consentDirective(ctx([onlyRecent], REFS.specialist, POLICIES.denyByDefault), TYPES);
    expect(d.perResourceTypes).toEqual(['Observation']);
    expect(d.deniedTypes).toEqual(['Condition', 'Patient']);
  });
});
