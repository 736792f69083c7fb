import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { metrics } from '../telemetry';
import { AuditStore, chainHash, GENESIS_HASH, StoreKey, type NewAuditRow, type Store } from './index';
import { STORE_ADAPTERS, TEST_PG_URL } from './test-stores';

let n = 0;
function row(launchId = 'L1'): NewAuditRow {
  n++;
  return { id: `ev-${n}-${Math.random().toString(36).slice(2)}`, recorded_at: 1_700_000_000_000 + n, issuer_id: 'sandbox', patient_id: 'pat-001', launch_id: launchId, category: 'access', outcome: 'success', body: JSON.stringify({ n }) };
}

async function appendMany(store: Store, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await store.audit.append(row());
}

/** Sum and count of the lock-wait histogram, this process. */
async function lockWait(): Promise<{ sum: number; count: number }> {
  const { values } = await metrics.auditLockWait.get();
  return { sum: values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0, count: values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0 };
}

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('audit chains on %s', (_name, adapter) => {
  it('anchors the heads of the chains that moved, and nothing when none did', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    expect(await store.audit.anchor()).toBeNull();
    await appendMany(store, 3);
    expect(await store.audit.anchor()).toMatchObject({ seq: 1, heads: [[store.audit.chainId, 3, expect.any(String)]] });
    expect(await store.audit.anchor()).toBeNull();
    await appendMany(store, 2);
    expect(await store.audit.anchor()).toMatchObject({ seq: 2, heads: [[store.audit.chainId, 5, expect.any(String)]] });
    expect(await store.audit.verify()).toEqual({ ok: true, count: 5, chains: 1, anchors: 2 });
  });

  it('detects a chain cut back behind its last anchor, or deleted whole', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    await appendMany(store, 4);
    await store.audit.anchor();
    await store.db.deleteFrom('audit_events').where('chain_id', '=', store.audit.chainId).where('chain_seq', '=', 4).execute();
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'truncated', chainId: store.audit.chainId, anchorSeq: 1 });
    await store.db.deleteFrom('audit_events').execute();
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'truncated', chainId: store.audit.chainId });
  });

  it('detects a registered chain emptied before any anchor, and rows in a chain nobody registered', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    await appendMany(store, 2);
    await store.db.deleteFrom('audit_events').execute();
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'truncated', chainId: store.audit.chainId });
    const other = await adapter.open(StoreKey.ephemeral());
    await appendMany(other, 2);
    await other.db.deleteFrom('audit_chains').execute();
    expect(await other.audit.verify()).toMatchObject({ ok: false, reason: 'unregistered-chain', chainId: other.audit.chainId });
  });

  it('detects a chain rewritten consistently after it was anchored (every hash recomputed)', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    await appendMany(store, 3);
    await store.audit.anchor();
    // Someone with write access replaces the chain with a forged one (every outcome 'denied'), hashing it correctly from scratch.
    const rows = await store.db.selectFrom('audit_events').selectAll().orderBy('chain_seq').execute();
    let prev = GENESIS_HASH;
    for (const r of rows) {
      const forged = { ...r, recorded_at: Number(r.recorded_at), outcome: 'denied', prev_hash: prev };
      forged.hash = chainHash(prev, forged);
      await store.db.updateTable('audit_events').set({ outcome: forged.outcome, prev_hash: forged.prev_hash, hash: forged.hash }).where('id', '=', r.id).execute();
      prev = forged.hash;
    }
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'anchor-mismatch', chainId: store.audit.chainId, anchorSeq: 1, brokenAtSeq: Number(rows[2]!.seq) });
  });

  it('detects an edited, deleted or reordered anchor', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    for (let i = 0; i < 3; i++) {
      await appendMany(store, 2);
      await store.audit.anchor();
    }
    await store.db.updateTable('audit_anchors').set({ recorded_at: 1 }).where('seq', '=', 2).execute();
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'anchor-mismatch', anchorSeq: 2 });
    const second = await store.db.selectFrom('audit_anchors').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    await store.db.deleteFrom('audit_anchors').where('seq', '=', 2).execute();
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'anchor-gap', anchorSeq: 3 });
    const third = await store.db.selectFrom('audit_anchors').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    await store.db.deleteFrom('audit_anchors').where('seq', '=', 3).execute();
    await store.db.insertInto('audit_anchors').values([{ ...third, seq: 2 }, { ...second, recorded_at: 1, seq: 3 }]).execute();
    expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'anchor-mismatch', anchorSeq: 2 });
  });

  it('cannot see rows cut from the tail after the last anchor (the window the anchor interval bounds)', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    await appendMany(store, 2);
    await store.audit.anchor();
    await appendMany(store, 2);
    await store.db.deleteFrom('audit_events').where('chain_seq', '=', 4).execute();
    expect(await store.audit.verify()).toEqual({ ok: true, count: 3, chains: 1, anchors: 1 });
  });

  it('group-commits: concurrent appends share transactions, and each resolves only once its row is committed', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let transactions = 0;
    const audit = new AuditStore(store.db, { chain: async () => { transactions++; await gate; return 0; } });
    const first = row();
    let settled = false;
    const pending = audit.append(first).then((r) => ((settled = true), r));
    const rest = Array.from({ length: 19 }, () => audit.append(row()));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    if (store.dialect === 'postgres') expect(await store.db.selectFrom('audit_events').select('id').where('id', '=', first.id).executeTakeFirst()).toBeUndefined();
    release();
    expect(await pending).toMatchObject({ id: first.id, chain_seq: 1 });
    await Promise.all(rest);
    expect(transactions).toBe(2); // the first alone, the 19 that queued behind it in one more
    expect(await store.audit.verify()).toMatchObject({ ok: true, count: 20 });
  });

  it('a batch that fails rejects every append in it, and the chain carries on valid', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    const taken = row();
    await store.audit.append(taken);
    const results = await Promise.allSettled([store.audit.append(row()), store.audit.append({ ...row(), id: taken.id }), store.audit.append(row())]);
    // The first went alone; the duplicate id fails the batch it shares with the third: neither is written, both are told.
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    await store.audit.append(row());
    expect(await store.audit.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it.runIf(adapter.shared)('two instances appending at once never wait on each other, and both chains verify', async () => {
    const [a, b] = await adapter.openShared(StoreKey.ephemeral(), 2);
    const before = await lockWait();
    await Promise.all([a!, b!].flatMap((s) => Array.from({ length: 100 }, () => s.audit.append(row()))));
    const after = await lockWait();
    expect(after.count - before.count).toBeGreaterThan(1);
    expect(after.sum - before.sum).toBe(0);
    await a!.audit.anchor();
    expect(await b!.audit.verify()).toEqual({ ok: true, count: 200, chains: 2, anchors: 1 });
  });

  it.runIf(adapter.shared)('reports the wait when another writer holds the chain', async () => {
    const [store] = await adapter.openShared(StoreKey.ephemeral(), 1);
    await store!.audit.append(row());
    const other = new Pool({ connectionString: TEST_PG_URL, max: 1 });
    try {
      await other.query('select pg_advisory_lock(hashtext($1))', [`housecall-audit-chain:${store!.audit.chainId}`]);
      const before = await lockWait();
      const appended = store!.audit.append(row());
      await new Promise((r) => setTimeout(r, 200));
      await other.query('select pg_advisory_unlock(hashtext($1))', [`housecall-audit-chain:${store!.audit.chainId}`]);
      await appended;
      expect((await lockWait()).sum - before.sum).toBeGreaterThan(0.15);
    } finally {
      await other.end();
    }
  });
});
