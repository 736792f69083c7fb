/**
 * Issue 12, "Nothing lost": an outbox entry or draft that cannot be decrypted is kept as damaged,
 * shown and counted, never deleted silently; cached copies are still dropped and fetched again
 * (review defect 2a, probe d3).
 */
import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import type { DamagedRecord, DroppedRecord } from '@/lib/offline';
import { createMemoryBackend, type RowBackend } from '@/lib/offline/backend';
import { generateStoreKeys } from '@/lib/offline/record-cipher';
import { createRecordStore } from '@/lib/offline/record-store';
import { summarize } from './outbox';
import { describe as sentence } from './sync-words';
import { createSyncStore, OUTBOX_TYPE } from './sync-store';
import { queueMutation } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const prac = { reference: 'Practitioner/prac-001' } as const;

async function setup() {
  const backend = createMemoryBackend();
  const damaged: DamagedRecord[] = [];
  const dropped: DroppedRecord[] = [];
  const records = await createRecordStore({ partition: 'p', backend, keys: await generateStoreKeys(), onWipe: async () => {}, onDamaged: (d) => damaged.push(d), onDropped: (d) => dropped.push(d) });
  return { backend, records, store: createSyncStore(records), damaged, dropped };
}

/** Flips one ciphertext byte of every row of `type`, as a failing disk or an editor would. */
async function corrupt(backend: RowBackend, type: string): Promise<void> {
  for (const row of await backend.list({ type })) {
    const data = new Uint8Array(row.data.slice(0));
    data[3] = data[3]! ^ 0xff;
    await backend.commit({ put: [{ ...row, data: data.buffer }], remove: [] });
  }
}

describe('an undecryptable outbox entry or draft is kept as damaged', () => {
  it('keeps the entry on disk, says what it was from clear metadata, counts it once, and lets the person discard it', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', patient, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: 1, newId: () => crypto.randomUUID() });
    await corrupt(t.backend, OUTBOX_TYPE);

    expect(await t.store.loadOutbox()).toEqual([]);
    expect(await t.store.loadOutbox()).toEqual([]);
    expect(await t.backend.list({ type: OUTBOX_TYPE })).toHaveLength(1); // never deleted silently
    const [item] = await t.store.damaged();
    expect(item).toMatchObject({ kind: 'change', mutation: 'editTelecom', resourceType: 'Patient' });
    expect(JSON.stringify(item)).not.toContain('555-0199');
    expect(t.records.counters()).toMatchObject({ damaged: 1, dropped: 0 });
    expect(t.damaged).toHaveLength(1);
    expect(t.dropped).toEqual([]);
    expect(sentence({ kind: 'idle', lastSyncedAt: 1 }, { ...summarize(await t.store.loadOutbox()), damaged: 1 })).toBe('1 change saved on this device can no longer be read');

    expect(await t.store.discardDamaged('no-such-key')).toBe(false);
    expect(await t.store.discardDamaged(item!.key)).toBe(true);
    expect(await t.backend.list({ type: OUTBOX_TYPE })).toHaveLength(0);
    expect(await t.store.damaged()).toEqual([]);
  });

  it('keeps a damaged draft (the local copy carrying the change) too, and refuses to discard a readable row', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', patient, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: 1, newId: () => crypto.randomUUID() });
    const [readable] = await t.backend.list({ type: OUTBOX_TYPE });
    await corrupt(t.backend, 'Patient');
    expect(await t.store.readResource('Patient', patient.id)).toBeUndefined();
    expect(await t.backend.list({ type: 'Patient' })).toHaveLength(1);
    expect(await t.store.damaged()).toEqual([expect.objectContaining({ kind: 'draft', resourceType: 'Patient' })]);
    expect(await t.store.discardDamaged(readable!.key)).toBe(false);
    expect(await t.store.loadOutbox()).toHaveLength(1);
  });

  it('still drops a cached server copy that fails, and notes it so sync fetches it again', async () => {
    const t = await setup();
    await t.records.write({ put: [{ cls: 'clinical', type: 'Patient', id: patient.id, version: '1', value: patient }] });
    await corrupt(t.backend, 'Patient');
    expect(await t.store.readResource('Patient', patient.id)).toBeUndefined();
    expect(await t.backend.list({ type: 'Patient' })).toHaveLength(0);
    expect(t.dropped).toEqual([{ type: 'Patient', id: patient.id, cls: 'clinical', reason: 'damaged' }]);
    expect(await t.store.droppedAt('Patient')).toBeTypeOf('number');
    expect(await t.store.damaged()).toEqual([]);
  });
});
