/**
 * Issue 12, "Nothing stale shown as current": an older ciphertext put back into its row, a removed
 * row put back, or edited clear metadata (`cls`, `storedAt`) reads as damaged and is dropped (so
 * sync fetches it again), never shown as current. Rows are edited as a disk editor would
 * (review probe d2, d4).
 */
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type StoredRow } from './backend';
import { additionalData, generateStoreKeys, rowKeyOf } from './record-cipher';
import { createRecordStore, type DroppedRecord } from './record-store';

const T0 = Date.parse('2025-06-01T10:00:00Z');
const HOUR = 3_600_000;

async function setup() {
  const backend = createMemoryBackend();
  const keys = await generateStoreKeys();
  const dropped: DroppedRecord[] = [];
  let clock = T0;
  const store = await createRecordStore({ partition: 'p1', backend, keys, now: () => clock, timeoutMs: 500, onDropped: (d) => dropped.push(d), onWipe: async () => {} });
  const rowOf = async (type: string, id: string) => (await backend.get(await rowKeyOf(keys, 'p1', type, id)))!;
  const putBack = (row: StoredRow) => backend.commit({ put: [row], remove: [] });
  return { store, backend, keys, dropped, rowOf, putBack, advance: (ms: number) => (clock += ms) };
}

const obs = (value: number) => ({ resourceType: 'Observation', id: 'o1', meta: { versionId: String(value) }, valueQuantity: { value } });

describe('rollback of a cache row', () => {
  it('an older copy of the whole row put back (probe d2) is dropped as rolled back, not shown', async () => {
    const t = await setup();
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '1', value: obs(1) }] });
    const older = await t.rowOf('Observation', 'o1');
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '2', value: obs(2) }] });
    await t.putBack(older);
    expect(await t.store.get('Observation', 'o1')).toBeUndefined();
    expect(t.dropped).toEqual([{ type: 'Observation', id: 'o1', cls: 'clinical', reason: 'rolled-back' }]);
    expect(await t.store.droppedAt('Observation')).toBe(T0);
    expect(await t.backend.get(older.key)).toBeUndefined();
  });

  it('the same through list(): the older copy is not among the results', async () => {
    const t = await setup();
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '1', value: obs(1) }] });
    const older = await t.rowOf('Observation', 'o1');
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '2', value: obs(2) }, { cls: 'clinical', type: 'Observation', id: 'o2', value: { id: 'o2' } }] });
    await t.putBack(older);
    expect((await t.store.list({ type: 'Observation' })).map((r) => r.id)).toEqual(['o2']);
    expect(t.dropped.map((d) => d.reason)).toEqual(['rolled-back']);
  });

  it('an older ciphertext swapped into the current row of a versionless record (probe d4) fails authentication', async () => {
    const t = await setup();
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: 'sha256:aaa', value: obs(1) }] });
    const older = await t.rowOf('Observation', 'o1');
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: 'sha256:bbb', value: obs(2) }] });
    const current = await t.rowOf('Observation', 'o1');
    await t.putBack({ ...current, iv: older.iv, data: older.data });
    expect(await t.store.get('Observation', 'o1')).toBeUndefined();
    expect(t.dropped).toEqual([{ type: 'Observation', id: 'o1', cls: 'clinical', reason: 'damaged' }]);
  });

  it('a removed row put back is not shown', async () => {
    const t = await setup();
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '1', value: obs(1) }] });
    const removed = await t.rowOf('Observation', 'o1');
    await t.store.write({ remove: [{ type: 'Observation', id: 'o1' }] });
    await t.putBack(removed);
    expect(await t.store.get('Observation', 'o1')).toBeUndefined();
    expect(t.dropped.map((d) => d.reason)).toEqual(['rolled-back']);
  });

  it('a copy rewritten many times and read in between stays current', async () => {
    const t = await setup();
    for (let v = 1; v <= 5; v += 1) {
      await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: String(v), value: obs(v) }] });
      expect((await t.store.get('Observation', 'o1'))?.version).toBe(String(v));
    }
    expect(t.dropped).toEqual([]);
  });
});

describe('edited clear metadata', () => {
  it('a storedAt moved forward to revive an expired clinical copy reads as damaged', async () => {
    const t = await setup();
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '1', value: obs(1) }] });
    t.advance(80 * HOUR);
    const row = await t.rowOf('Observation', 'o1');
    await t.putBack({ ...row, storedAt: T0 + 79 * HOUR });
    expect(await t.store.get('Observation', 'o1', { expired: 'mark' })).toBeUndefined();
    expect(t.dropped.map((d) => d.reason)).toEqual(['damaged']);
  });

  it('a class changed to drafts to escape retention and eviction reads as damaged', async () => {
    const t = await setup();
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '1', value: obs(1) }] });
    const row = await t.rowOf('Observation', 'o1');
    await t.putBack({ ...row, cls: 'drafts' });
    expect(await t.store.get('Observation', 'o1')).toBeUndefined();
    expect(t.dropped).toEqual([{ type: 'Observation', id: 'o1', cls: 'drafts', reason: 'damaged' }]);
  });
});

describe('rows of the previous format', () => {
  async function sealV1(t: Awaited<ReturnType<typeof setup>>, cls: StoredRow['cls'], type: string, id: string, value: unknown): Promise<StoredRow> {
    const key = await rowKeyOf(t.keys, 'p1', type, id);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData({ partition: 'p1', type, rowKey: key, version: '' }) }, t.keys.aes, new TextEncoder().encode(JSON.stringify({ id, value })));
    return { key, cls, type, version: '', storedAt: T0, iv, data };
  }

  it('a cache row without a counter is dropped once (and fetched again); an outbox row without one is still read', async () => {
    const t = await setup();
    await t.putBack(await sealV1(t, 'clinical', 'Observation', 'o1', obs(1)));
    await t.putBack(await sealV1(t, 'operational', 'housecall:outbox', 'e1', { state: 'pending' }));
    expect(await t.store.get('Observation', 'o1')).toBeUndefined();
    expect(t.dropped).toEqual([{ type: 'Observation', id: 'o1', cls: 'clinical', reason: 'old-format' }]);
    expect((await t.store.get('housecall:outbox', 'e1'))?.value).toEqual({ state: 'pending' });
    // Written again in the current format, it reads as usual.
    await t.store.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', version: '1', value: obs(1) }] });
    expect((await t.store.get('Observation', 'o1'))?.value).toEqual(obs(1));
  });
});
