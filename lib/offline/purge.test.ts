import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createOffline } from './offline';
import type { PartitionOwner } from './partition';
import { matchesPurge, purgeRecords } from './purge';

const owner: PartitionOwner = { issuer: 'https://ehr.example/fhir', fhirUser: 'Practitioner/prac-001', patient: 'pat-001' };
const PSY = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' };
const psyOnly = (labels: readonly { code?: string }[]) => labels.some((l) => l.code === 'PSY');

async function seeded(patient = 'pat-001') {
  const offline = createOffline({ indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange } });
  const store = await offline.open({ ...owner, patient });
  await store.write({
    put: [
      { cls: 'clinical', type: 'Observation', id: 'o1', value: { resourceType: 'Observation', id: 'o1' } },
      { cls: 'clinical', type: 'Condition', id: 'c1', value: { resourceType: 'Condition', id: 'c1' } },
      { cls: 'clinical', type: 'Condition', id: 'c2', value: { resourceType: 'Condition', id: 'c2', meta: { security: [PSY] } } },
      { cls: 'drafts', type: 'Observation', id: 'o-draft', value: { resourceType: 'Observation', id: 'o-draft' } },
      { cls: 'operational', type: 'housecall:outbox', id: 'e1', value: { resourceType: 'Observation' } },
      // A cached search answer keyed by its request, as a read-through cache stores it.
      { cls: 'clinical', type: 'housecall:response', id: 'Condition?patient=pat-001', value: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Condition', id: 'c2', meta: { security: [PSY] } } }] } },
      { cls: 'clinical', type: 'housecall:response', id: 'Observation?patient=pat-001', value: { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Observation', id: 'o1' } }] } },
    ],
  });
  return { offline, store };
}

const ids = async (store: Awaited<ReturnType<typeof seeded>>['store']) => (await store.list(undefined, { expired: 'mark' })).map((r) => `${r.type}/${r.id}`).sort();

describe('purgeRecords', () => {
  it('deletes server copies of a purged type, and cached searches holding one, but keeps drafts and operational state', async () => {
    const { store } = await seeded();
    expect(await purgeRecords(store, { resourceTypes: ['Observation'] })).toBe(2);
    expect(await ids(store)).toEqual(['Condition/c1', 'Condition/c2', 'Observation/o-draft', 'housecall:outbox/e1', 'housecall:response/Condition?patient=pat-001']);
  });

  it('deletes records, and cached searches, carrying a label no longer permitted', async () => {
    const { store } = await seeded();
    expect(await purgeRecords(store, { labelled: psyOnly })).toBe(2);
    expect(await ids(store)).toEqual(['Condition/c1', 'Observation/o-draft', 'Observation/o1', 'housecall:outbox/e1', 'housecall:response/Observation?patient=pat-001']);
  });

  it('touches only the partition it is given', async () => {
    const offline = createOffline({ indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange } });
    const mine = await offline.open(owner);
    const theirs = await offline.open({ ...owner, patient: 'pat-002' });
    const row = { cls: 'clinical' as const, type: 'Observation', id: 'o1', value: { resourceType: 'Observation', id: 'o1' } };
    await mine.write({ put: [row] });
    await theirs.write({ put: [row] });
    expect(await purgeRecords(mine, { resourceTypes: ['Observation'] })).toBe(1);
    expect(await mine.get('Observation', 'o1')).toBeUndefined();
    expect(await theirs.get('Observation', 'o1')).toBeDefined();
  });

  it('does nothing for an empty filter', async () => {
    const { store } = await seeded();
    expect(await purgeRecords(store, {})).toBe(0);
    expect(await ids(store)).toHaveLength(7);
  });

  it('matchesPurge looks inside Bundles for types and labels', () => {
    const bundle = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Condition', meta: { security: [PSY] } } }] };
    expect(matchesPurge({ type: 'x', value: bundle }, { resourceTypes: ['Condition'] })).toBe(true);
    expect(matchesPurge({ type: 'x', value: bundle }, { labelled: psyOnly })).toBe(true);
    expect(matchesPurge({ type: 'x', value: bundle }, { resourceTypes: ['Observation'], labelled: () => false })).toBe(false);
  });
});
