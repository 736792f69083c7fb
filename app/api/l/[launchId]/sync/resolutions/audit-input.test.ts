import { describe, expect, it } from 'vitest';
import { resolutionAuditInput } from './audit-input';
import { resolutionSchema } from './schema';

const launch = { id: 'L1', fhirUser: 'Patient/pat-008', issuerId: 'sandbox', patientId: 'pat-008' };
const base = {
  kind: 'sync-conflict-resolution', who: 'Patient/someone-else', when: '2026-11-28T15:00:00.000Z', entryId: 'e1', resource: 'Patient/pat-008', mutation: 'editTelecom',
  fields: ['telecom[phone|mobile].value'], baseVersion: '3', theirsVersion: '4',
};

describe('resolutionAuditInput (issue 12: resolution audits keep the versions they were given)', () => {
  it('stores the decision and both versions, and the launch’s user as actor', () => {
    const input = resolutionAuditInput(resolutionSchema.parse({ ...base, decision: 'keep-mine' }), launch);
    expect(input).toMatchObject({ outcomeCode: 'keep-mine', subtype: 'sync-conflict-resolution', actor: { fhirUser: 'Patient/pat-008' }, entity: { reference: 'Patient/pat-008' } });
    expect(input.reasonText).toBe('keep-mine: telecom[phone|mobile].value [base version 3, server version 4]');
  });

  it('records reapply as reapply, not as edit', () => {
    expect(resolutionAuditInput(resolutionSchema.parse({ ...base, decision: 'reapply' }), launch).outcomeCode).toBe('reapply');
  });

  it('records an automatic merge with the fields each side changed', () => {
    const input = resolutionAuditInput(resolutionSchema.parse({ ...base, decision: 'auto-merge', theirsFields: ['address[home].city'] }), launch);
    expect(input).toMatchObject({ outcomeCode: 'auto-merge', subtype: 'sync-auto-merge' });
    expect(input.reasonText).toBe('auto-merge: telecom[phone|mobile].value; server changed: address[home].city [base version 3, server version 4]');
  });

  it('keeps the versions when the field list is long', () => {
    const fields = Array.from({ length: 50 }, (_, i) => `extension[${i}].valueString.somewhat.long.path`);
    const input = resolutionAuditInput(resolutionSchema.parse({ ...base, decision: 'edit', fields }), launch);
    expect(input.reasonText!.length).toBeLessThanOrEqual(500);
    expect(input.reasonText).toMatch(/\[base version 3, server version 4\]$/);
  });

  it('refuses a version that carries anything but an id', () => {
    expect(resolutionSchema.safeParse({ ...base, decision: 'edit', baseVersion: '3 "x"' }).success).toBe(false);
  });
});
