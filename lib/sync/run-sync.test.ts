import type { DocumentReference, Patient } from '@medplum/fhirtypes';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline, type PartitionOwner } from '@/lib/offline';
import type { DownloadTarget } from './delta';
import type { Transport } from './ports';
import { createSyncRound } from './run-sync';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation, uploadOutbox } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const prac = { reference: 'Practitioner/prac-001' } as const;
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: prac.reference, patient: patient.id };
const targets: DownloadTarget[] = [{ key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id }, { key: 'DocumentReference', resourceType: 'DocumentReference' }];
const DEVICE_NOW = Date.parse('2024-05-05T08:00:00Z');

function waitFor(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const until = Date.now() + 2_000;
    const tick = () => (check() ? resolve() : Date.now() > until ? reject(new Error('timed out')) : setTimeout(tick, 2));
    tick();
  });
}

describe('a sync round', () => {
  it('uploads, then downloads into the cache', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const records = await createOffline({}).open(owner);
    const store = createSyncStore(records);
    const round = createSyncRound({ store, transport: server.transport, now: () => DEVICE_NOW + 10, random: () => 0.5, targets });
    const first = await round();
    expect(first).toMatchObject({ outcome: 'ok', recovered: 0 });
    const local = (await store.readResource<Patient>('Patient', patient.id))!;
    await queueMutation(store, 'editTelecom', local, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: DEVICE_NOW, newId: () => crypto.randomUUID() });
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, { now: DEVICE_NOW + 1, newId: () => crypto.randomUUID() });
    const second = await round();
    expect(second).toMatchObject({ outcome: 'ok', upload: { synced: 2 } });
    expect(server.log.filter((r) => r.url === 'metadata')).toHaveLength(1);
    expect((await store.readResource<Patient>('Patient', patient.id))?.meta?.versionId).toBe('2');
    expect(await records.list({ type: 'DocumentReference' })).toHaveLength(1);
    expect(await store.loadOutbox()).toEqual([]);
  });

  it('reports a rate limit as a retry with its time, and keeps holding that type in the next round', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const records = await createOffline({}).open(owner);
    const store = createSyncStore(records);
    let now = DEVICE_NOW;
    const round = createSyncRound({ store, transport: server.transport, now: () => now, random: () => 0, targets: [] });
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'One', author: prac }, { now, newId: () => crypto.randomUUID() });
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Two', author: prac }, { now: now + 1, newId: () => crypto.randomUUID() });
    server.inject((r) => r.method === 'POST', { status: 429, headers: { 'retry-after': '60' }, body: undefined });
    expect(await round()).toMatchObject({ outcome: 'retry', retryAt: now + 60_000 });
    now += 30_000;
    await round();
    expect(server.log.filter((r) => r.method === 'POST')).toHaveLength(1);
    now += 31_000;
    expect(await round()).toMatchObject({ outcome: 'ok', upload: { synced: 2 } });
  });
});

describe('a device clock stepped back while a change waits', () => {
  const HOUR = 3_600_000;
  async function waitingOn(fault: { status: number; retryAfter: string }) {
    const server = createFakeFhirServer();
    server.seed(patient);
    const records = await createOffline({}).open(owner);
    const store = createSyncStore(records);
    let now = DEVICE_NOW;
    const round = createSyncRound({ store, transport: server.transport, now: () => now, random: () => 0.5, targets: [] });
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Waiting', author: prac }, { now, newId: () => crypto.randomUUID() });
    server.inject((r) => r.method === 'POST', { status: fault.status, headers: { 'retry-after': fault.retryAfter }, body: undefined });
    const first = await round();
    return { server, store, round, first, setNow: (ms: number) => (now = ms) };
  }

  it('sends it at the next round instead of waiting as long as the clock moved back', async () => {
    const t = await waitingOn({ status: 503, retryAfter: '120' });
    expect(t.first).toMatchObject({ outcome: 'retry', retryAt: DEVICE_NOW + 120_000 });
    // The clock is put right three hours back: its backoff now ends three hours and two minutes ahead.
    t.setNow(DEVICE_NOW - 3 * HOUR);
    expect(await t.round()).toMatchObject({ outcome: 'ok', upload: { synced: 1 } });
    expect(await t.store.loadOutbox()).toEqual([]);
  });

  it('still waits out a backoff the clock did not move, and a Retry-After longer than an hour is honoured for an hour', async () => {
    const t = await waitingOn({ status: 429, retryAfter: '86400' });
    expect(t.first).toMatchObject({ outcome: 'retry', retryAt: DEVICE_NOW + HOUR });
    t.setNow(DEVICE_NOW + 59 * 60_000);
    await t.round();
    expect(t.server.log.filter((r) => r.method === 'POST')).toHaveLength(1);
    t.setNow(DEVICE_NOW + HOUR + 1);
    expect(await t.round()).toMatchObject({ outcome: 'ok', upload: { synced: 1 } });
  });
});

describe('after a reconnect', () => {
  it('sends a change whose sends failed offline at once, not when its backoff ends; a 5xx backoff still waits', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    let offline = true;
    const transport: Transport = (r) => (offline ? Promise.reject(new TypeError('Failed to fetch')) : server.transport(r));
    const records = await createOffline({}).open(owner);
    const store = createSyncStore(records);
    let now = DEVICE_NOW;
    // The largest jitter: each offline failure doubles how long the entry waits.
    const round = createSyncRound({ store, transport, now: () => now, random: () => 0.999, targets: [] });
    const note = await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Sent offline', author: prac }, { now, newId: () => crypto.randomUUID() });
    for (let i = 0; i < 4; i += 1) {
      expect(await round()).toMatchObject({ outcome: 'offline', upload: { sent: 1 } });
      now = (await store.loadOutbox())[0]!.nextAttemptAt; // the timer fires when the entry is due
    }
    expect(await round()).toMatchObject({ outcome: 'offline' });
    const waiting = (await store.loadOutbox())[0]!;
    expect(waiting).toMatchObject({ id: note.id, state: 'pending', attempts: 5, lastError: { code: 'network' } });
    expect(waiting.nextAttemptAt - now).toBeGreaterThan(30_000);

    offline = false;
    now += 1_000;
    // A round that is not told of the reconnect (focus, the timer) keeps the backoff.
    expect(await round()).toMatchObject({ outcome: 'ok', upload: { sent: 0 }, retryAt: waiting.nextAttemptAt });
    // The round after the browser's online event sends it.
    expect(await round({ reconnected: true })).toMatchObject({ outcome: 'ok', upload: { sent: 1, synced: 1 } });
    expect(await store.loadOutbox()).toEqual([]);
    expect(server.log.filter((r) => r.method === 'POST' && r.url === 'DocumentReference')).toHaveLength(1);

    // A backoff the EHR caused (a 500) is not the device's: a reconnect does not cut it short.
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Refused once', author: prac }, { now, newId: () => crypto.randomUUID() });
    server.inject((r) => r.method === 'POST', { status: 500, headers: {}, body: undefined });
    expect(await round()).toMatchObject({ outcome: 'retry', upload: { sent: 1, retried: 1 } });
    expect(await round({ reconnected: true })).toMatchObject({ upload: { sent: 0 } });
  });
});

describe('closing a tab with work pending', () => {
  it('loses nothing: the next tab recovers the in-flight entry and sends everything in order, once', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const idb = { indexedDB: new IDBFactory(), IDBKeyRange };

    // Tab A queues two changes and starts sending; the first create reaches the server, then the tab closes.
    const tabA = createOffline({ indexedDB: idb });
    const storeA = createSyncStore(await tabA.open(owner));
    const note = await queueMutation(storeA, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, { now: DEVICE_NOW, newId: () => crypto.randomUUID() });
    const base = server.current('Patient', patient.id) as Patient;
    await queueMutation(storeA, 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: DEVICE_NOW + 1, newId: () => crypto.randomUUID() });
    const hangsAfterApplying: Transport = async (request) => {
      await server.transport(request);
      return new Promise(() => {}); // the tab closes before the answer arrives
    };
    void uploadOutbox(storeA, { transport: hangsAfterApplying, now: () => DEVICE_NOW, random: () => 0.5 });
    await waitFor(() => server.all('DocumentReference').length === 1);
    tabA.dispose();

    // Tab B opens later on the same device.
    const tabB = createOffline({ indexedDB: idb });
    const storeB = createSyncStore(await tabB.open(owner));
    expect((await storeB.loadOutbox()).map((e) => e.state).sort()).toEqual(['in-flight', 'pending']);
    server.log.length = 0;
    const result = await createSyncRound({ store: storeB, transport: server.transport, now: () => DEVICE_NOW + 5_000, random: () => 0.5, targets: [] })();
    expect(result).toMatchObject({ outcome: 'ok', recovered: 1, upload: { synced: 2 } });
    expect(server.log.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual(['POST', 'PUT']);
    const notes = server.all('DocumentReference') as DocumentReference[];
    expect(notes).toHaveLength(1);
    expect(notes[0]!.identifier?.[0]?.value).toBe(note.idempotencyKey);
    expect((server.current('Patient', patient.id) as Patient).telecom?.[0]?.value).toBe('555-0199');
    expect(await storeB.loadOutbox()).toEqual([]);
    tabB.dispose();
  });
});
