import { describe, expect, it } from 'vitest';
import { StoreKey } from './index';
import { STORE_ADAPTERS } from './test-stores';

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  const owner = { issuerId: 'sandbox', fhirUser: 'Practitioner/prac-003', patientId: 'pat-900', name: 'note' };

  describe('drafts', () => {
    it('are sealed at rest, found again by the same owner only, and removed on request', async () => {
      const store = await adapter.open(StoreKey.ephemeral());
      await store.drafts.put(owner, '{"text":"Potassium trending up"}');
      const raw = await store.db.selectFrom('drafts').selectAll().execute();
      expect(raw).toHaveLength(1);
      expect(raw[0]!.sealed).not.toContain('Potassium');
      expect(raw[0]!.key_hash).not.toContain('pat-900');
      expect((await store.drafts.get(owner))?.body).toBe('{"text":"Potassium trending up"}');
      expect(await store.drafts.get({ ...owner, fhirUser: 'Practitioner/prac-001' })).toBeUndefined();
      expect(await store.drafts.get({ ...owner, patientId: 'pat-001' })).toBeUndefined();
      await store.drafts.put(owner, '{"text":"v2"}');
      expect((await store.drafts.get(owner))?.body).toBe('{"text":"v2"}');
      await store.drafts.remove(owner);
      expect(await store.drafts.get(owner)).toBeUndefined();
    });
  });
});
