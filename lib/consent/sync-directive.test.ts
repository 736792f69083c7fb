import { describe, expect, it } from 'vitest';
import { openSqliteStore, StoreKey } from '../store';
import { patientDefault, shareWithPractitioner } from './build';
import { launchConsentDirective } from './sync-directive';

describe('the sync directive judges for the issuer’s purpose of use (issue 11)', () => {
  it('a treatment-only share does not cover a launch whose issuer acts for operations', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => Date.parse('2026-11-01T09:00:00Z'));
    await store.consents.save({ ...patientDefault({ patientId: 'pat-001', rule: 'deny' }), id: 'default' }, { issuerId: 'sandbox', patientId: 'pat-001' });
    await store.consents.save({ ...shareWithPractitioner({ patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'], purpose: 'TREAT' }), id: 'share' }, { issuerId: 'sandbox', patientId: 'pat-001' });
    const launch = await store.launches.createLaunch({
      id: 'L1', browserSessionId: 's1', issuerId: 'sandbox', workflow: 'clinician', patientId: 'pat-001', encounterId: null, fhirUser: 'Practitioner/prac-002',
      scope: 'launch openid', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null, tokens: { accessToken: 'a', tokenType: 'bearer' },
    });
    const now = new Date('2026-11-01T09:00:00Z');
    expect((await launchConsentDirective(launch, store.consents, ['Observation'], now)).deniedTypes).toEqual([]);
    expect((await launchConsentDirective(launch, store.consents, ['Observation'], now, { purposeOfUse: 'HOPERAT' })).deniedTypes).toEqual(['Observation']);
  });
});
