import { describe, expect, it } from 'vitest';
import { toAccessHistory } from './access-history';
import { toAuditEvent } from './audit-event';

describe('the Consent that decided is an AuditEvent entity (issue 11)', () => {
  const base = {
    category: 'access' as const, outcome: 'success' as const, subtype: 'search-type', actor: { fhirUser: 'Practitioner/prac-002', clientId: 'housecall', issuerId: 'sandbox' },
    patientId: 'pat-001', launchId: 'L1', entity: { query: 'Observation?patient=Patient/pat-001' }, recorded: new Date('2026-11-01T09:00:00Z'), id: 'a1',
  };
  it('names each deciding Consent by id and version, as a security resource', () => {
    const event = toAuditEvent({ ...base, consents: [{ id: 'c-hiv', version: '3' }, { id: 'c-old' }] });
    expect(event.entity?.filter((e) => e.role?.code === '13')).toEqual([
      expect.objectContaining({ what: { reference: 'Consent/c-hiv/_history/3' }, type: expect.objectContaining({ code: '2' }) }),
      expect.objectContaining({ what: { reference: 'Consent/c-old' } }),
    ]);
    const [item] = toAccessHistory([event]);
    expect(item).toMatchObject({ consents: ['c-hiv', 'c-old'], what: 'looked through Observation records' });
  });
  it('adds nothing when no consent decided', () => {
    const event = toAuditEvent(base);
    expect(event.entity?.some((e) => e.role?.code === '13')).toBe(false);
    expect(toAccessHistory([event])[0]?.consents).toEqual([]);
  });
});
