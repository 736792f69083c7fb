/**
 * Issue 12, "Nothing stale shown as current", through the sync engine: a whole refetch refreshes
 * the stored-at time of unchanged copies; an older copy put back into the store is dropped and the
 * next download stores the current one (review probe d2), though the cursor already knows its
 * version; rows swept for age are downloaded again.
 */
import type { Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createMemoryBackend } from '@/lib/offline/backend';
import { generateStoreKeys, rowKeyOf } from '@/lib/offline/record-cipher';
import { createRecordStore } from '@/lib/offline/record-store';
import type { DownloadTarget } from './delta';
import { downloadTarget } from './download';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';

const seed = buildSeed();
const chart = seed.patients[0]!;
const patient = chart.patient as Patient & { id: string };
const observations = chart.resources.filter((r) => r.resourceType === 'Observation').slice(0, 4);
const PATIENT: DownloadTarget = { key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id };
const OBS: DownloadTarget = { key: 'Observation', resourceType: 'Observation' };
const HOUR = 3_600_000;

async function setup(options: FakeServerOptions = {}) {
  const server = createFakeFhirServer(options);
  server.seed(patient, ...observations);
  const backend = createMemoryBackend();
  const keys = await generateStoreKeys();
  let device = Date.parse('2024-05-05T08:00:00Z');
  const records = await createRecordStore({ partition: 'p1', backend, keys, now: () => device, onWipe: async () => {} });
  const store = createSyncStore(records);
  // No capability: every target is a full refetch compared by version or content hash, as the app did.
  const deps = { transport: server.transport, store, pageSize: 50, now: () => device };
  const rowOf = async (type: string, id: string) => (await backend.get(await rowKeyOf(keys, 'p1', type, id)))!;
  return { server, backend, records, store, deps, rowOf, advance: (ms: number) => (device += ms), device: () => device };
}

describe('a download that confirms an unchanged copy', () => {
  it.each([[{}], [{ versionless: true }]])('refreshes its stored-at time, so hourly sync never shows it as days old or expired (%o)', async (options) => {
    const t = await setup(options);
    await downloadTarget(PATIENT, t.deps);
    for (let hour = 1; hour <= 96; hour += 1) {
      t.advance(HOUR);
      t.server.tick(HOUR);
      expect(await downloadTarget(PATIENT, t.deps)).toMatchObject({ status: 'done', upserts: 0, confirmed: 1 });
    }
    const cached = await t.store.readCached('Patient', patient.id);
    expect(cached).toMatchObject({ storedAt: t.device(), expired: false });
  });
});

describe('an older copy put back (probe d2)', () => {
  it.each([[{}], [{ versionless: true }]])('is dropped on read, and the next full download stores the current copy although its cursor knows it (%o)', async (options) => {
    const t = await setup(options);
    await downloadTarget(PATIENT, t.deps);
    const older = await t.rowOf('Patient', patient.id);
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, gender: 'other' }));
    t.advance(HOUR);
    expect(await downloadTarget(PATIENT, t.deps)).toMatchObject({ upserts: 1 });
    await t.backend.commit({ put: [older], remove: [] });

    expect(await t.store.readResource('Patient', patient.id)).toBeUndefined();
    t.advance(HOUR);
    expect(await downloadTarget(PATIENT, t.deps)).toMatchObject({ status: 'done', sweep: 'refetch', upserts: 1 });
    expect((await t.store.readResource<Patient>('Patient', patient.id))?.gender).toBe('other');
  });
});

describe('rows deleted for age', () => {
  it('are downloaded again by the next run of their type, which the cursor alone would skip', async () => {
    const t = await setup({ supports: { history: false } });
    const capability = (await t.server.transport({ method: 'GET', url: 'metadata' })).body as never;
    const deps = { ...t.deps, capability, sweepEveryMs: 365 * 24 * HOUR };
    expect(await downloadTarget(OBS, deps)).toMatchObject({ strategy: 'last-updated', upserts: 4 });
    t.advance(80 * HOUR);
    expect(await t.records.sweep()).toBe(4);
    expect(await t.records.list({ type: 'Observation' }, { expired: 'mark' })).toEqual([]);
    t.server.tick(HOUR);
    expect(await downloadTarget(OBS, deps)).toMatchObject({ status: 'done', sweep: 'refetch', upserts: 4 });
    expect((await t.records.list<Resource>({ type: 'Observation' })).map((r) => r.id).sort()).toEqual(observations.map((o) => o.id).sort());
  });
});
