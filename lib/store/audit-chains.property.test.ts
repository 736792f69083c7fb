import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditStore, openSqliteStore, StoreKey, type NewAuditRow } from './index';

/**
 * Any single change to an anchored audit log is found: events appended by several instances (each
 * its own chain, interleaved at random), an anchor, then one edit, deletion or swap anywhere.
 */
type Tamper = { kind: 'edit'; at: number } | { kind: 'delete'; at: number } | { kind: 'swap'; at: number; with: number };

const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.record({ kind: fc.constant<'edit'>('edit'), at: fc.nat() }),
  fc.record({ kind: fc.constant<'delete'>('delete'), at: fc.nat() }),
  fc.record({ kind: fc.constant<'swap'>('swap'), at: fc.nat(), with: fc.nat() }),
);

function row(i: number): NewAuditRow {
  return { id: `ev-${i}`, recorded_at: 1_700_000_000_000 + i, issuer_id: 'sandbox', patient_id: `pat-${i % 3}`, launch_id: `L${i % 2}`, category: 'access', outcome: 'success', body: JSON.stringify({ i }) };
}

describe('the audit log under one change', () => {
  it('verifies untouched, and reports any single edit, deletion or swap of anchored rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 2 }), { minLength: 2, maxLength: 12 }), tamper, async (writers, change) => {
        const store = await openSqliteStore(':memory:', StoreKey.ephemeral());
        try {
          const instances = [store.audit, new AuditStore(store.db), new AuditStore(store.db)];
          await Promise.all(writers.map((w, i) => instances[w]!.append(row(i))));
          await store.audit.anchor();
          expect(await store.audit.verify()).toMatchObject({ ok: true, count: writers.length });

          const rows = await store.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
          const target = rows[change.at % rows.length]!;
          if (change.kind === 'edit') {
            await store.db.updateTable('audit_events').set({ body: `${target.body} ` }).where('seq', '=', target.seq).execute();
          } else if (change.kind === 'delete') {
            await store.db.deleteFrom('audit_events').where('seq', '=', target.seq).execute();
          } else {
            const same = rows.filter((r) => r.chain_id === target.chain_id && r.seq !== target.seq);
            if (same.length === 0) return; // nothing to swap with in a chain of one
            const other = same[change.with % same.length]!;
            await store.db.deleteFrom('audit_events').where('seq', 'in', [target.seq, other.seq]).execute();
            await store.db.insertInto('audit_events').values([{ ...target, chain_seq: other.chain_seq }, { ...other, chain_seq: target.chain_seq }]).execute();
          }
          expect(await store.audit.verify()).toMatchObject({ ok: false });
        } finally {
          await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
