import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline, type PartitionOwner } from '@/lib/offline';
import type { DownloadTarget } from './delta';
import { eventForRound } from './coordinator';
import { createSyncRound } from './run-sync';
import { next, INITIAL_SYNC_STATE } from './sync-state';
import { describe as describeState } from './sync-words';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation } from './upload-queue';

const patient = buildSeed().patients[0]!.patient as Patient & { id: string };
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: `Patient/${patient.id}`, patient: patient.id };
const thePatient: DownloadTarget = { key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id };
const notes: DownloadTarget = { key: 'DocumentReference', resourceType: 'DocumentReference', params: { patient: patient.id } };
const DEVICE_NOW = Date.parse('2026-05-05T08:00:00Z');

async function setUp(random = 0) {
  const server = createFakeFhirServer();
  server.seed(patient);
  const store = createSyncStore(await createOffline({}).open(owner));
  const clock = { now: DEVICE_NOW };
  const round = createSyncRound({ store, transport: server.transport, now: () => clock.now, random: () => random, targets: [thePatient, notes] });
  await round();
  const base = (await store.readResource<Patient>('Patient', patient.id))!;
  await queueMutation(store, 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0142' }, { now: clock.now, newId: () => crypto.randomUUID() });
  server.log.length = 0;
  return { server, clock, round };
}

describe('a round after the server asked to wait (issue #5: honour Retry-After)', () => {
  it('a 503 with Retry-After on the upload holds every download too, until then', async () => {
    const { server, clock, round } = await setUp();
    server.inject((r) => r.method === 'PUT', { status: 503, headers: { 'retry-after': '60' }, body: undefined });
    const held = await round();
    expect(held).toMatchObject({ outcome: 'retry', waitReason: 'server-unavailable', retryAt: DEVICE_NOW + 60_000, downloads: [{ key: thePatient.key, status: 'retry', retryAfterMs: 60_000 }, { key: notes.key, status: 'retry' }] });
    expect(server.log.map((r) => r.method)).toEqual(['PUT']);

    clock.now += 60_000;
    expect(await round()).toMatchObject({ outcome: 'ok', upload: { synced: 1 }, downloads: [{ status: 'done' }, { status: 'done' }] });
    expect((server.current('Patient', patient.id) as Patient).telecom?.find((t) => t.use === 'mobile')?.value).toBe('555-0142');
  });

  it('a 429 on Patient holds the Patient download but not the other types', async () => {
    const { server, round } = await setUp();
    server.inject((r) => r.method === 'PUT', { status: 429, headers: { 'retry-after': '30' }, body: undefined });
    const result = await round();
    expect(result.outcome).toBe('retry');
    expect(result.waitReason).toBe('rate-limited');
    expect(result.downloads.find((d) => d.key === thePatient.key)).toMatchObject({ status: 'retry', retryAfterMs: 30_000, pages: 0 });
    expect(result.downloads.find((d) => d.key === notes.key)).toMatchObject({ status: 'done' });
    expect(server.log.filter((r) => r.method === 'GET' && r.url.startsWith('Patient'))).toEqual([]);
  });
});

describe('a change put back on a backoff after a 5xx (the indicator says it waits)', () => {
  it('the round waits for the EHR instead of reporting all is well, and the sentence says when it tries again', async () => {
    const { server, clock, round } = await setUp(0.5);
    server.inject((r) => r.method === 'PUT', { status: 500, headers: {}, body: undefined });
    const result = await round();
    expect(result).toMatchObject({ outcome: 'retry', waitReason: 'server-unavailable', upload: { retried: 1 } });
    expect(result.retryAt).toBeGreaterThan(DEVICE_NOW);
    const state = next(INITIAL_SYNC_STATE, eventForRound(result));
    expect(state).toMatchObject({ kind: 'waiting', reason: 'server-unavailable' });
    const at = (ms: number) => `t+${Math.round((ms - DEVICE_NOW) / 1000)}s`;
    expect(describeState(state, { waiting: 1, needsReview: 0, failed: 0 }, { formatTime: at })).toMatch(/^1 change waiting — trying again at t\+\d+s$/);
    expect(describeState(state, { waiting: 0, needsReview: 0, failed: 0 }, { formatTime: at })).toMatch(/^The EHR is not answering — trying again at/);

    clock.now = result.retryAt!;
    expect(await round()).toMatchObject({ outcome: 'ok', upload: { synced: 1 } });
  });
});
