import { describe, expect, it } from 'vitest';
import { HELD_CHANGE_TTL_MS, MAX_HELD_PER_OWNER, StoreKey } from './index';
import { STORE_ADAPTERS } from './test-stores';

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  const owner = { issuerId: 'sandbox', fhirUser: 'Patient/pat-900', patientId: 'pat-900' };

  describe('held changes', () => {
    it('are sealed at rest, returned to the same owner only, in order, until released', async () => {
      let now = 1_000;
      const store = await adapter.open(StoreKey.ephemeral(), () => now);
      expect(await store.held.hold(owner, [{ entryId: 'e1', body: '{"phone":"555-0101"}' }])).toBe(1);
      now += 1;
      await store.held.hold(owner, [{ entryId: 'e2', body: '{"phone":"555-0102"}' }]);
      const raw = await store.db.selectFrom('held_changes').selectAll().execute();
      expect(raw).toHaveLength(2);
      expect(raw.map((r) => r.sealed).join()).not.toContain('555-01');
      expect(raw.map((r) => r.owner_hash).join()).not.toContain('pat-900');

      expect((await store.held.list(owner)).map((h) => [h.entryId, h.body])).toEqual([['e1', '{"phone":"555-0101"}'], ['e2', '{"phone":"555-0102"}']]);
      expect(await store.held.list({ ...owner, fhirUser: 'Practitioner/prac-001' })).toEqual([]);
      expect(await store.held.list({ ...owner, patientId: 'pat-001' })).toEqual([]);
      expect(await store.held.list({ ...owner, issuerId: 'other' })).toEqual([]);

      expect(await store.held.release({ ...owner, patientId: 'pat-001' }, ['e1'])).toBe(0); // not theirs to release
      expect(await store.held.release(owner, ['e1'])).toBe(1);
      expect((await store.held.list(owner)).map((h) => h.entryId)).toEqual(['e2']);
    });

    it('a second hand-over of the same entry replaces it, and expired ones are gone', async () => {
      let now = 5_000;
      const store = await adapter.open(StoreKey.ephemeral(), () => now);
      await store.held.hold(owner, [{ entryId: 'e1', body: '"v1"' }]);
      await store.held.hold(owner, [{ entryId: 'e1', body: '"v2"' }]);
      expect((await store.held.list(owner)).map((h) => h.body)).toEqual(['"v2"']);
      now += HELD_CHANGE_TTL_MS;
      expect(await store.held.list(owner)).toEqual([]);
      expect(await store.db.selectFrom('held_changes').selectAll().execute()).toHaveLength(0);
    });

    it('a row sealed for one owner cannot be read as another’s: it is deleted, and the rest still come back', async () => {
      const store = await adapter.open(StoreKey.ephemeral());
      await store.held.hold(owner, [{ entryId: 'e1', body: '"mine"' }]);
      const other = { ...owner, patientId: 'pat-901' };
      await store.held.hold(other, [{ entryId: 'e9', body: '"theirs"' }, { entryId: 'e8', body: '"also theirs"' }]);
      const mine = (await store.db.selectFrom('held_changes').selectAll().execute()).find((r) => r.entry_id === 'e1')!;
      // Move the sealed value under the other owner's row: opening it must fail, not return it.
      await store.db.updateTable('held_changes').set({ sealed: mine.sealed }).where('entry_id', '=', 'e9').execute();
      expect((await store.held.list(other)).map((h) => h.body)).toEqual(['"also theirs"']);
      expect((await store.db.selectFrom('held_changes').select('entry_id').execute()).map((r) => r.entry_id).sort()).toEqual(['e1', 'e8']);
    });

    it('keeps at most MAX_HELD_PER_OWNER for one owner: a hand-over past that keeps nothing; replacing held ones still works', async () => {
      const store = await adapter.open(StoreKey.ephemeral());
      const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ entryId: `e${from + i}`, body: '"x"' }));
      expect(await store.held.hold(owner, batch(0, MAX_HELD_PER_OWNER))).toBe(MAX_HELD_PER_OWNER);
      expect(await store.held.hold(owner, batch(MAX_HELD_PER_OWNER, 1))).toBe('full');
      expect(await store.held.hold(owner, batch(0, 3))).toBe(3); // the same ids again
      expect(await store.held.list(owner)).toHaveLength(MAX_HELD_PER_OWNER);
      expect(await store.held.hold({ ...owner, patientId: 'pat-901' }, batch(0, 1))).toBe(1); // another owner is not affected
    });
  });
});
