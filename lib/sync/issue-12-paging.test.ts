/**
 * Issue 12 (review defect 8, probe b3): a download never skips a resource, nor deletes a cached
 * one, because entries shifted across a page boundary while it was paging. Searches page in `_id`
 * order (an edit does not move anything); a disappearance is confirmed by a read (404/410) first;
 * a run whose result set changed between pages does not move its cursor.
 */
import type { CapabilityStatement, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline } from '@/lib/offline';
import type { DownloadTarget } from './delta';
import { downloadTarget } from './download';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';

const chart = buildSeed().patients[0]!;
const observations = chart.resources.filter((r): r is Observation & { id: string } => r.resourceType === 'Observation').slice(0, 5);
const ids = observations.map((o) => o.id).sort();
const OBS: DownloadTarget = { key: 'Observation', resourceType: 'Observation' };

async function setup(options: FakeServerOptions, capable: boolean) {
  const server = createFakeFhirServer(options);
  // Seeded in id order, so insertion order and id order agree until an edit.
  server.seed(...[...observations].sort((a, b) => (a.id < b.id ? -1 : 1)));
  const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: 'Practitioner/p', patient: chart.patient.id! });
  const store = createSyncStore(records);
  const capability = capable ? ((await server.transport({ method: 'GET', url: 'metadata' })).body as CapabilityStatement) : undefined;
  const deps = { transport: server.transport, store, pageSize: 2, overlapMs: 60_000, now: () => Date.parse('2024-05-05T08:00:00Z'), ...(capability ? { capability } : {}) };
  const cachedIds = async () => (await records.list<Resource>({ type: 'Observation' })).map((r) => r.value.id).sort();
  /** Runs `change` once, after the first page of the next search was computed. */
  const afterFirstPage = (change: () => void) => {
    server.betweenPages((query) => {
      if (!query.get('_offset')) {
        server.betweenPages(undefined);
        change();
      }
    });
  };
  return { server, store, deps, cachedIds, afterFirstPage };
}

describe('paging while the server changes', () => {
  it('an edit between two pages skips nothing, on a server whose default order an edit changes', async () => {
    const t = await setup({ order: 'lastUpdated', supports: { history: false } }, true);
    t.afterFirstPage(() => t.server.edit<Observation>('Observation', ids[0]!, (o) => ({ ...o, status: 'amended' })));
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ strategy: 'last-updated', status: 'done' });
    expect(await t.cachedIds()).toEqual(ids);
  });

  it('a deletion between two pages of a full refetch deletes only what a read says is gone', async () => {
    const t = await setup({}, false);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ strategy: 'full', upserts: 5 });
    // Deleting the first entry (already sent on page one) shifts the third back onto page one: unseen.
    t.afterFirstPage(() => t.server.remove('Observation', ids[0]!));
    const reads = () => t.server.log.filter((r) => r.method === 'GET' && /^Observation\/[^?]+$/.test(r.url)).map((r) => r.url);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ status: 'done', deletes: 0 });
    expect(reads()).toEqual([`Observation/${ids[2]}`]);
    expect(await t.cachedIds()).toEqual(ids);
    // The next run no longer sees the first either, and a read confirms it is gone.
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ status: 'done', deletes: 1, upserts: 0 });
    expect(reads()).toEqual([`Observation/${ids[2]}`, `Observation/${ids[0]}`]);
    expect(await t.cachedIds()).toEqual(ids.slice(1));
  });

  it('a disappearance that cannot be confirmed (no answer) deletes nothing and is asked again next run', async () => {
    const t = await setup({}, false);
    await downloadTarget(OBS, t.deps);
    t.afterFirstPage(() => t.server.remove('Observation', ids[0]!));
    t.server.inject((r) => r.url === `Observation/${ids[2]}`, 'network');
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ deletes: 0 });
    expect(await t.cachedIds()).toEqual(ids);
    // Now gone for good: the next run reads both and deletes both.
    t.server.remove('Observation', ids[2]!);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ deletes: 2 });
    expect(await t.cachedIds()).toEqual([ids[1], ids[3], ids[4]]);
  });

  it('a delta run whose result set changed between pages keeps its cursor where it was', async () => {
    const t = await setup({ supports: { history: false } }, true);
    await downloadTarget(OBS, t.deps);
    const before = (await t.store.loadCursor('Observation'))!.since;
    t.server.tick(600_000);
    for (const id of ids.slice(0, 4)) t.server.edit<Observation>('Observation', id, (o) => ({ ...o, status: 'amended' }));
    t.server.tick(600_000);
    t.afterFirstPage(() => t.server.remove('Observation', ids[0]!));
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ strategy: 'last-updated', status: 'done' });
    expect((await t.store.loadCursor('Observation'))!.since).toBe(before);
    // The next run asks from the same point again, and the cache holds every edit.
    await downloadTarget(OBS, t.deps);
    for (const id of ids.slice(1, 4)) expect((await t.store.readResource<Observation>('Observation', id))?.status).toBe('amended');
    expect((await t.store.loadCursor('Observation'))!.since).not.toBe(before);
  });
});
