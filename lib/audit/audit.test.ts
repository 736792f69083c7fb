import { describe, expect, it } from 'vitest';
import { StoreKey } from '../store';
import { recordAudit } from './record';
import { STORE_ADAPTERS } from '../store/test-stores';

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  const actor = { fhirUser: 'Practitioner/prac-001', clientId: 'housecall', issuerId: 'sandbox' };

  async function seeded(n: number) {
    const store = await adapter.open(StoreKey.ephemeral());
    for (let i = 0; i < n; i++) {
      await recordAudit(store.audit, {
        category: 'access', outcome: i % 3 === 0 ? 'denied' : 'success', subtype: 'search-type', actor,
        patientId: i % 2 ? 'pat-001' : 'pat-002', launchId: 'L1', entity: { query: `Observation?category=vital-signs&n=${i}` },
      });
    }
    return store;
  }

  describe('audit log', () => {
    it('records BALP-shaped AuditEvents with identifiers and query, no content', async () => {
      const store = await seeded(1);
      const [row] = await store.audit.listRecent();
      const event = JSON.parse(row!.body);
      expect(event).toMatchObject({ resourceType: 'AuditEvent', action: 'E', outcome: '4', type: { code: 'rest' }, subtype: [{ code: 'search-type' }] });
      expect(event.agent[0].who.reference).toBe('Practitioner/prac-001');
      expect(event.entity[0].what.reference).toBe('Patient/pat-002');
      expect(Buffer.from(event.entity[1].query, 'base64').toString()).toBe('Observation?category=vital-signs&n=0');
    });

    it('verifies an untouched chain', async () => {
      const store = await seeded(6);
      expect(await store.audit.verify()).toEqual({ ok: true, count: 6, chains: 1, anchors: 0 });
      expect((await store.audit.listForPatient({ issuerId: 'sandbox', patientId: 'pat-001' })).every((r) => r.patient_id === 'pat-001')).toBe(true);
    });

    it('detects an edited row', async () => {
      const store = await seeded(5);
      await store.db.updateTable('audit_events').set({ outcome: 'denied' }).where('seq', '=', 3).execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'hash-mismatch' });
    });

    it('detects a deleted row', async () => {
      const store = await seeded(5);
      await store.db.deleteFrom('audit_events').where('seq', '=', 2).execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3 });
    });

    it('detects reordered rows', async () => {
      const store = await seeded(4);
      const rows = await store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      const [a, b] = [rows[1]!, rows[2]!];
      // The chain's order is chain_seq: swap the two rows' places in it.
      await store.db.deleteFrom('audit_events').where('seq', 'in', [2, 3]).execute();
      await store.db.insertInto('audit_events').values([{ ...b, seq: 2, chain_seq: 2 }, { ...a, seq: 3, chain_seq: 3 }]).execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'link-mismatch' });
    });

    it('keeps one chain under concurrent appends', async () => {
      const store = await adapter.open(StoreKey.ephemeral());
      await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit(store.audit, { category: 'access', outcome: 'success', subtype: 'read', actor, patientId: 'p', launchId: `L${i}` })));
      expect(await store.audit.verify()).toEqual({ ok: true, count: 20, chains: 1, anchors: 0 });
      const positions = await store.db.selectFrom('audit_events').select('chain_seq').where('chain_id', '=', store.audit.chainId).orderBy('chain_seq').execute();
      expect(positions.map((p) => Number(p.chain_seq))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });
  });

  it.runIf(adapter.shared)('keeps a valid chain per instance when several app instances append at once', async () => {
    const instances = await adapter.openShared(StoreKey.ephemeral(), 3);
    await Promise.all(Array.from({ length: 30 }, (_, i) => recordAudit(instances[i % 3]!.audit, { category: 'access', outcome: 'success', subtype: 'read', actor, patientId: 'p', launchId: `L${i}` })));
    expect(await instances[1]!.audit.verify()).toEqual({ ok: true, count: 30, chains: 3, anchors: 0 });
    const seqs = (await instances[2]!.audit.listRecent(100)).map((r) => Number(r.seq));
    expect(new Set(seqs).size).toBe(30);
  });
});
