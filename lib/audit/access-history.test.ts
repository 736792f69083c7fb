import { describe, expect, it } from 'vitest';
import { toAccessHistory } from './access-history';
import { toAuditEvent } from './audit-event';

describe('toAccessHistory', () => {
  it('names a share-link view for the patient without a user or a raw link id', () => {
    const event = toAuditEvent({
      id: 'a1', recorded: new Date('2026-03-01T00:00:00Z'), category: 'access', outcome: 'success', outcomeCode: 'viewed', subtype: 'share-link-view',
      actor: { fhirUser: null, clientId: 'housecall-share-link', issuerId: 'sandbox' }, patientId: 'p1', launchId: 'L1', entity: { reference: 'urn:housecall:share-link:abc' },
    });
    const [item] = toAccessHistory([event]);
    expect(item).toMatchObject({ who: 'A clinician with your share link', what: 'opened a share link you made', outcome: 'allowed' });
  });
});

describe('staff console events in the patient’s history', () => {
  it('name the member of staff and what they did to the session', () => {
    const event = toAuditEvent({ id: 'e1', recorded: new Date('2026-01-01T00:00:00Z'), category: 'staff', outcome: 'success', subtype: 'staff-end-launch', actor: { fhirUser: null, clientId: 'housecall-staff', issuerId: 'sandbox', staff: { id: 'staff-support-1', name: 'Robin Okafor', roles: ['support'] } }, patientId: 'pat-001', launchId: 'L1' });
    expect(toAccessHistory([event])[0]).toMatchObject({ who: 'Housecall staff: Robin Okafor', what: 'ended a Housecall session', outcome: 'allowed' });
  });
});
