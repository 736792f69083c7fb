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
