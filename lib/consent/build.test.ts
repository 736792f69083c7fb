import { describe, expect, it } from 'vitest';
import { LABELS, restrictLabels, shareWithPractitioner } from './build';
import { CONSENT_SYSTEMS } from './codes';

describe('builders', () => {
  it('shareWithPractitioner writes a patient-privacy permit with a nested label deny', () => {
    const consent = shareWithPractitioner({
      id: 's1', patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'], purpose: 'TREAT',
      period: { start: '2026-11-01', end: '2026-11-30' }, excludeLabels: [LABELS.hiv],
    });
    expect(consent).toMatchObject({
      resourceType: 'Consent', id: 's1', status: 'active',
      scope: { coding: [{ system: CONSENT_SYSTEMS.scope, code: 'patient-privacy' }] },
      patient: { reference: 'Patient/pat-001' },
      policyRule: { coding: [{ system: CONSENT_SYSTEMS.actCode, code: 'OPTIN' }] },
      provision: {
        type: 'permit',
        period: { start: '2026-11-01', end: '2026-11-30' },
        actor: [{ reference: { reference: 'Practitioner/prac-002' } }],
        action: [{ coding: [{ system: CONSENT_SYSTEMS.action, code: 'access' }] }],
        purpose: [{ system: CONSENT_SYSTEMS.actReason, code: 'TREAT' }],
        class: [{ system: CONSENT_SYSTEMS.resourceTypes, code: 'Observation' }],
        provision: [{ type: 'deny', securityLabel: [LABELS.hiv] }],
      },
    });
  });

  it('leaves out elements that were not asked for (absent means "all")', () => {
    const { provision } = shareWithPractitioner({ patientId: 'pat-001', practitionerId: 'prac-001', resourceTypes: [], status: 'draft' });
    expect(provision && Object.keys(provision).sort()).toEqual(['action', 'actor', 'type']);
  });

  it('restrictLabels writes a root deny with a nested permit for the exceptions', () => {
    const consent = restrictLabels({ patientId: 'pat-001', labels: [LABELS.mentalHealth], exceptFor: ['Practitioner/prac-001'] });
    expect(consent.policyRule?.coding?.[0]?.code).toBe('OPTOUT');
    expect(consent.provision).toMatchObject({ type: 'deny', securityLabel: [LABELS.mentalHealth], provision: [{ type: 'permit', actor: [{ reference: { reference: 'Practitioner/prac-001' } }] }] });
  });
});
