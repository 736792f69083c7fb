import type { CapabilityStatement, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createMemoryBackend } from '@/lib/offline/backend';
import { generateStoreKeys } from '@/lib/offline/record-cipher';
import { createRecordStore } from '@/lib/offline/record-store';
import { sweepFor, type DownloadTarget } from './delta';
import { downloadTarget } from './download';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';

const seed = buildSeed();
const chart = seed.patients[0]!;
const patient = chart.patient as Patient & { id: string };
const observations = chart.resources.filter((r): r is Observation & { id: string } => r.resourceType === 'Observation').slice(0, 5);
const OBS: DownloadTarget = { key: 'Observation', resourceType: 'Observation' };
const PATIENT: DownloadTarget = { key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id };
const HOUR = 3_600_000;

/** A sync store over a raw memory backend, so a test can corrupt a stored row as a failing disk or an attacker would. */
async function setup(options: FakeServerOptions = {}) {
  const server = createFakeFhirServer(options);
  server.seed(patient, ...observations);
  const backend = createMemoryBackend();
  let device = Date.parse('2024-05-05T08:00:00Z');
  const records = await createRecordStore({ partition: 'p1', backend, keys: await generateStoreKeys(), now: () => device, onWipe: async () => {} });
  const store = createSyncStore(records);
  const capability = (await server.transport({ method: 'GET', url: 'metadata' })).body as CapabilityStatement;
  const deps = { transport: server.transport, store, capability, pageSize: 2, overlapMs: 60_000, sweepEveryMs: 6 * HOUR, now: () => device };
  const cachedIds = async (type: string) => (await records.list<Resource>({ type })).map((r) => r.value.id).sort();
  /** Flips a byte of every stored row of `type`: the next read fails to decrypt and drops them. */
  const corrupt = async (type: string) => {
    const rows = await backend.list({ type });
    await backend.commit({
      put: rows.map((row) => {
        const data = new Uint8Array(row.data.slice(0));
        data[3] = data[3]! ^ 0xff;
        return { ...row, data: data.buffer };
      }),
      remove: [],
    });
    return rows.length;
  };
  return { server, store, records, deps, cachedIds, corrupt, advance: (ms: number) => (device += ms) };
}

describe('sweepFor', () => {
  const since = '2031-01-02T00:00:00.000Z';
  it('is due sweepEveryMs after the last whole pass, or after a drop the target has not refetched', () => {
    expect(sweepFor('last-updated', undefined, { sweepEveryMs: HOUR, now: 5 })).toBeUndefined(); // a first run is whole already
    expect(sweepFor('last-updated', { strategy: 'last-updated', since, sweptOn: 10 }, { sweepEveryMs: HOUR, now: HOUR + 9 })).toBeUndefined();
    expect(sweepFor('last-updated', { strategy: 'last-updated', since, sweptOn: 10 }, { sweepEveryMs: HOUR, now: HOUR + 10 })).toEqual({ reason: 'periodic', at: HOUR + 10 });
    expect(sweepFor('history', { strategy: 'history', since }, { sweepEveryMs: HOUR, now: 5 })).toEqual({ reason: 'periodic', at: 5 }); // a cursor from before sweeps existed
    expect(sweepFor('full', { strategy: 'full', since }, { sweepEveryMs: HOUR, now: 5 })).toBeUndefined(); // every full run is a sweep
    expect(sweepFor('full', { strategy: 'full', since, refetchedAt: 3 }, { droppedAt: 4, now: 5 })).toEqual({ reason: 'refetch', at: 5 });
    expect(sweepFor('full', { strategy: 'full', since, refetchedAt: 4 }, { droppedAt: 4, now: 5 })).toBeUndefined();
  });
});

describe('a record that fails to decrypt is fetched again', () => {
  it('full refetch: the dropped copy is stored again although its content hash is unchanged', async () => {
    const t = await setup({ versionless: true, supports: { history: false, lastUpdated: false } });
    expect(await downloadTarget(PATIENT, t.deps)).toMatchObject({ strategy: 'full', upserts: 1 });
    expect(await t.corrupt('Patient')).toBe(1);
    expect(await t.store.readResource('Patient', patient.id)).toBeUndefined(); // dropped on read
    expect(await t.records.droppedAt('Patient')).toBeDefined();

    t.advance(1_000);
    expect(await downloadTarget(PATIENT, t.deps)).toMatchObject({ status: 'done', sweep: 'refetch', upserts: 1 });
    expect((await t.store.readResource<Patient>('Patient', patient.id))?.name).toEqual(patient.name);
    // Once refetched, the next run is an ordinary comparison again.
    expect(await downloadTarget(PATIENT, t.deps)).toMatchObject({ upserts: 0 });
    expect((await downloadTarget(PATIENT, t.deps)).sweep).toBeUndefined();
  });

  it('history: the type is refetched whole, though no change at the server would bring it back', async () => {
    const t = await setup();
    await downloadTarget(OBS, t.deps);
    await t.corrupt('Observation');
    expect(await t.cachedIds('Observation')).toEqual([]); // all five dropped on a list
    t.server.tick(60_000);
    t.advance(1_000);
    const again = await downloadTarget(OBS, t.deps);
    expect(again).toMatchObject({ status: 'done', sweep: 'refetch', upserts: 5, deletes: 0 });
    expect(t.server.log.at(-1)!.url).not.toContain('_history');
    expect(await t.cachedIds('Observation')).toEqual(observations.map((o) => o.id).sort());
  });

  it('a sweep cut short by the network resumes as a sweep from its last stored page', async () => {
    const t = await setup();
    await downloadTarget(OBS, t.deps);
    await t.corrupt('Observation');
    await t.cachedIds('Observation');
    t.server.tick(60_000);
    t.server.inject((r) => r.url.includes('_offset=2'), 'network');
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ status: 'offline', sweep: 'refetch', upserts: 2 });
    expect((await t.store.loadCursor('Observation'))?.resume?.sweep?.reason).toBe('refetch');
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ status: 'done', sweep: 'refetch', upserts: 3 });
    expect(await t.cachedIds('Observation')).toHaveLength(5);
  });
});

describe('periodic sweeps', () => {
  it('_lastUpdated cannot see a deletion; the sweep after sweepEveryMs removes it', async () => {
    const t = await setup({ supports: { history: false } });
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ strategy: 'last-updated', upserts: 5 });
    const gone = observations[1]!.id;
    t.server.remove('Observation', gone);
    t.server.tick(HOUR);
    t.advance(HOUR);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ deletes: 0 });
    expect(await t.cachedIds('Observation')).toContain(gone); // the delta did not see it

    t.server.tick(5 * HOUR);
    t.advance(5 * HOUR);
    const swept = await downloadTarget(OBS, t.deps);
    expect(swept).toMatchObject({ status: 'done', sweep: 'periodic', deletes: 1 });
    expect(await t.cachedIds('Observation')).not.toContain(gone);
    expect(await t.cachedIds('Observation')).toHaveLength(4);
    t.server.tick(HOUR);
    t.advance(HOUR);
    expect((await downloadTarget(OBS, t.deps)).sweep).toBeUndefined();
  });

  it('keeps the ids it holds across delta runs, so a sweep finds a deletion of a resource first seen in a delta', async () => {
    const t = await setup({ supports: { history: false } });
    await downloadTarget(OBS, t.deps);
    t.server.tick(HOUR);
    const added = { ...observations[0]!, id: 'obs-added-later' };
    t.server.seed(added);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ upserts: 1 });
    expect((await t.store.loadCursor('Observation'))?.held).toContain('obs-added-later');
    t.server.remove('Observation', 'obs-added-later');
    t.server.tick(7 * HOUR);
    t.advance(7 * HOUR);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ sweep: 'periodic', deletes: 1 });
    expect(await t.cachedIds('Observation')).not.toContain('obs-added-later');
  });
});
