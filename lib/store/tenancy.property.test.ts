import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSqliteStore, StoreKey, type PatientKey } from './index';

const issuers = ['issuer-a', 'issuer-b', 'issuer-c'] as const;
const patients = ['pat-001', 'pat-002'] as const;
const key = fc.record({ issuerId: fc.constantFrom(...issuers), patientId: fc.constantFrom(...patients) });
const same = (a: PatientKey, b: PatientKey) => a.issuerId === b.issuerId && a.patientId === b.patientId;

describe('lookups by patient', () => {
  it('return exactly the rows kept for that issuer and patient, for any mix of owners sharing patient ids', async () => {
    await fc.assert(fc.asyncProperty(fc.array(key, { minLength: 1, maxLength: 12 }), key, async (owners, asked) => {
      const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => Date.parse('2026-11-01T09:00:00Z'));
      try {
        for (const [i, owner] of owners.entries()) {
          const id = `r${i}`;
          await store.consents.save({ resourceType: 'Consent', id, status: 'active', scope: { text: 'x' }, category: [{ text: 'x' }], patient: { reference: `Patient/${owner.patientId}` } }, owner);
          await store.shareLinks.create({ id, launchId: `L${i}`, ...owner, resourceTypes: ['Condition'], ttlMs: 60_000 });
          await store.audit.append({ id, recorded_at: i, issuer_id: owner.issuerId, patient_id: owner.patientId, launch_id: `L${i}`, category: 'access', outcome: 'success', body: '{}' });
        }
        const expected = owners.flatMap((o, i) => (same(o, asked) ? [`r${i}`] : [])).sort();
        expect((await store.consents.listForPatient(asked)).map((c) => c.id).sort()).toEqual(expected);
        expect((await store.consents.ehrRecords(asked)).map((c) => c.id).sort()).toEqual(expected);
        expect((await store.shareLinks.listForPatient(asked)).map((l) => l.id).sort()).toEqual(expected);
        expect((await store.audit.listForPatient(asked)).map((r) => r.id).sort()).toEqual(expected);
        for (const [i, owner] of owners.entries()) {
          expect(await store.consents.get(asked, `r${i}`) !== undefined).toBe(same(owner, asked));
          expect(await store.shareLinks.get(asked, `r${i}`) !== undefined).toBe(same(owner, asked));
        }
      } finally {
        await store.close();
      }
    }), { numRuns: 40 });
  });
});
