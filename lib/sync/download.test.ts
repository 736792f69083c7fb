import type { AllergyIntolerance, CapabilityStatement, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline } from '@/lib/offline';
import { chooseStrategy, firstRequestUrl, type DownloadTarget } from './delta';
import { downloadAll, downloadTarget } from './download';
import { createSyncStore, CURSOR_TYPE } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';
import { queueMutation } from './upload-queue';

const seed = buildSeed();
const chart = seed.patients[0]!;
const patient = chart.patient as Patient & { id: string };
const observations = chart.resources.filter((r): r is Observation & { id: string } => r.resourceType === 'Observation').slice(0, 5);
const allergies = chart.resources.filter((r): r is AllergyIntolerance & { id: string } => r.resourceType === 'AllergyIntolerance');
const OBS: DownloadTarget = { key: 'Observation', resourceType: 'Observation' };
const PATIENT: DownloadTarget = { key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id };
const ALLERGY: DownloadTarget = { key: 'AllergyIntolerance', resourceType: 'AllergyIntolerance' };

async function setup(options: FakeServerOptions = {}) {
  const server = createFakeFhirServer(options);
  server.seed(patient, ...observations, ...allergies);
  const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: 'Practitioner/prac-001', patient: patient.id });
  const store = createSyncStore(records);
  const capability = (await server.transport({ method: 'GET', url: 'metadata' })).body as CapabilityStatement;
  server.log.length = 0;
  const deps = { transport: server.transport, store, capability, pageSize: 2, overlapMs: 60_000, now: () => Date.parse('2024-05-05T08:00:00Z') };
  const cached = async (type: string) => (await records.list<Resource>({ type })).map((r) => r.value).sort((a, b) => (a.id! < b.id! ? -1 : 1));
  const sorted = (rs: Resource[]) => [...rs].sort((a, b) => (a.id! < b.id! ? -1 : 1));
  return { server, store, records, deps, cached, sorted };
}

describe('strategy', () => {
  it('follows the CapabilityStatement: history, else _lastUpdated, else full refetch', async () => {
    const cap = async (o: FakeServerOptions) => (await createFakeFhirServer(o).transport({ method: 'GET', url: 'metadata' })).body as CapabilityStatement;
    const full = await cap({});
    expect(chooseStrategy(full, OBS)).toBe('history');
    expect(chooseStrategy(full, PATIENT)).toBe('history');
    expect(chooseStrategy(full, { ...OBS, params: { patient: 'p' } })).toBe('last-updated'); // type history cannot be narrowed
    expect(chooseStrategy(await cap({ versionless: true }), OBS)).toBe('last-updated');
    expect(chooseStrategy(await cap({ supports: { history: false } }), OBS)).toBe('last-updated');
    expect(chooseStrategy(await cap({ versionless: true, supports: { lastUpdated: false } }), OBS)).toBe('full');
    expect(chooseStrategy(undefined, OBS)).toBe('full');
    expect(chooseStrategy(full, { key: 'Goal', resourceType: 'Goal' })).toBe('full');
  });

  it('asks for changes since the cursor minus the overlap', () => {
    const cursor = { strategy: 'history' as const, since: '2031-01-01T00:10:00.000Z' };
    expect(firstRequestUrl(OBS, 'history', undefined, 60_000, 50)).toBe('Observation?_sort=_id&_count=50');
    expect(firstRequestUrl(OBS, 'history', cursor, 60_000)).toBe('Observation/_history?_since=2031-01-01T00%3A09%3A00.000Z');
    expect(firstRequestUrl(PATIENT, 'history', cursor, 0)).toBe(`Patient/${patient.id}/_history?_since=2031-01-01T00%3A10%3A00.000Z`);
    expect(firstRequestUrl({ ...OBS, params: { patient: 'p1' } }, 'last-updated', { ...cursor, strategy: 'last-updated' }, 60_000)).toBe('Observation?patient=p1&_sort=_id&_lastUpdated=ge2031-01-01T00%3A09%3A00.000Z');
  });
});

describe('downloadTarget', () => {
  it('loads everything, then applies changes and deletions from _history, with cursors in server time', async () => {
    const t = await setup();
    const first = await downloadTarget(OBS, t.deps);
    expect(first).toMatchObject({ strategy: 'history', status: 'done', pages: 3, upserts: 5 });
    expect(await t.cached('Observation')).toEqual(t.sorted(t.server.all('Observation')));
    const cursor = await t.store.loadCursor('Observation');
    expect(cursor?.since).toBe(new Date(t.server.clock()).toISOString()); // the server's clock (2031), not the device's (2024)

    t.server.tick(120_000);
    const edited = t.server.edit<Observation>('Observation', observations[0]!.id, (o) => ({ ...o, status: 'amended' }));
    t.server.remove('Observation', observations[1]!.id);
    t.server.log.length = 0;
    const second = await downloadTarget(OBS, t.deps);
    expect(t.server.log[0]!.url).toMatch(/^Observation\/_history\?_since=/);
    expect(second).toMatchObject({ status: 'done', upserts: 1, deletes: 1 });
    const now = await t.cached('Observation');
    expect(now.map((o) => o.id)).not.toContain(observations[1]!.id);
    expect(now.find((o) => o.id === edited.id)).toEqual(edited);
    expect(now).toHaveLength(4);
  });

  it('resumes after a token expiry (401) mid-sync from the last stored page, skipping none', async () => {
    const t = await setup();
    t.server.inject((r) => r.url.includes('_offset=2'), { status: 401, headers: {}, body: { resourceType: 'OperationOutcome', issue: [] } });
    const stopped = await downloadTarget(OBS, t.deps);
    expect(stopped).toMatchObject({ status: 'stopped', pages: 1, upserts: 2, error: { status: 401 } });
    const partial = await t.store.loadCursor('Observation');
    expect(partial?.since).toBeUndefined(); // never advanced past what is stored
    expect(partial?.resume?.url).toContain('_offset=2');
    expect(await t.cached('Observation')).toHaveLength(2);

    t.server.log.length = 0;
    const resumed = await downloadTarget(OBS, t.deps);
    expect(t.server.log[0]!.url).toBe(partial!.resume!.url);
    expect(resumed).toMatchObject({ status: 'done', pages: 2, upserts: 3 });
    expect(await t.cached('Observation')).toEqual(t.sorted(t.server.all('Observation')));
    expect((await t.store.loadCursor('Observation'))?.resume).toBeUndefined();
  });

  it('restarts from the cursor when the server has forgotten the paging link', async () => {
    const t = await setup();
    await downloadTarget(OBS, t.deps);
    const before = await t.store.loadCursor('Observation');
    t.server.tick(120_000);
    for (const o of observations) t.server.edit<Observation>('Observation', o.id, (x) => ({ ...x, status: 'amended' }));
    t.server.inject((r) => r.url.includes('_offset=2'), 'network');
    expect((await downloadTarget(OBS, t.deps)).status).toBe('offline');
    expect((await t.store.loadCursor('Observation'))?.since).toBe(before?.since);
    t.server.inject((r) => r.url.includes('_offset=2'), { status: 410, headers: {}, body: undefined });
    const again = await downloadTarget(OBS, t.deps);
    expect(again.status).toBe('done');
    expect((await t.cached('Observation')).every((o) => (o as Observation).status === 'amended')).toBe(true);
  });

  it('with _lastUpdated only, the overlap window brings duplicates that are dropped by id+version', async () => {
    const t = await setup({ supports: { history: false } });
    await downloadTarget(OBS, { ...t.deps, overlapMs: 10 * 60_000 });
    t.server.tick(30_000);
    const edited = t.server.edit<Observation>('Observation', observations[2]!.id, (o) => ({ ...o, status: 'corrected' }));
    t.server.log.length = 0;
    const second = await downloadTarget(OBS, { ...t.deps, overlapMs: 10 * 60_000 });
    expect(t.server.log[0]!.url).toContain('_lastUpdated=ge');
    expect(second.upserts).toBe(1); // five came back inside the overlap; four were duplicates
    expect((await t.cached('Observation')).find((o) => o.id === edited.id)).toEqual(edited);
  });

  it('a versionless server is refetched in full and compared by content hash; missing ids are deletions', async () => {
    const t = await setup({ versionless: true, supports: { history: false, lastUpdated: false } });
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ strategy: 'full', upserts: 5 });
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ upserts: 0, deletes: 0 });
    t.server.edit<Observation>('Observation', observations[0]!.id, (o) => ({ ...o, status: 'amended' }));
    t.server.remove('Observation', observations[4]!.id);
    expect(await downloadTarget(OBS, t.deps)).toMatchObject({ upserts: 1, deletes: 1 });
    const cached = await t.cached('Observation');
    expect(cached.map((o) => o.id)).not.toContain(observations[4]!.id);
    expect(cached.find((o) => o.id === observations[0]!.id)).toMatchObject({ status: 'amended' });
    expect(cached[0]?.meta?.versionId).toBeUndefined();
  });

  it('never overwrites or deletes a resource with an unsent local change', async () => {
    const t = await setup();
    await downloadAll([PATIENT, ALLERGY], t.deps);
    const local = (await t.store.readResource<Patient>('Patient', patient.id))!;
    await queueMutation(t.store, 'editTelecom', local, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: 1, newId: () => crypto.randomUUID() });
    const allergy = (await t.store.readResource<AllergyIntolerance>('AllergyIntolerance', allergies[0]!.id))!;
    await queueMutation(t.store, 'commentOnAllergy', allergy, { text: 'Mild', author: { reference: 'Practitioner/prac-001' } }, { now: 1, newId: () => crypto.randomUUID() });
    t.server.tick(120_000);
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, gender: 'other' }));
    t.server.remove('AllergyIntolerance', allergies[0]!.id);
    const [p, a] = await downloadAll([PATIENT, ALLERGY], t.deps);
    expect(p).toMatchObject({ status: 'done', skippedPending: 1, upserts: 0 });
    expect(a).toMatchObject({ status: 'done', skippedPending: 1, deletes: 0 });
    expect((await t.store.readResource<Patient>('Patient', patient.id))?.telecom?.[0]?.value).toBe('555-0199');
    expect(await t.store.readResource('AllergyIntolerance', allergies[0]!.id)).toBeDefined();
  });

  it('a 429 on one type does not hold up the others', async () => {
    const t = await setup();
    t.server.inject((r) => r.url.startsWith('Observation'), { status: 429, headers: { 'retry-after': '30' }, body: undefined });
    const [obs, allergy] = await downloadAll([OBS, ALLERGY], t.deps);
    expect(obs).toMatchObject({ status: 'retry', retryAfterMs: 30_000 });
    expect(allergy).toMatchObject({ status: 'done', upserts: allergies.length });
    expect(await t.records.get(CURSOR_TYPE, 'Observation')).toBeUndefined();
  });
});
