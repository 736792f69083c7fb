import type { Patient } from '@medplum/fhirtypes';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline, type PartitionOwner } from '@/lib/offline';
import { applyConsentDirective, fetchConsentDirective, planConsentHolds, screenMustAskAgain, type ConsentDirective, type ConsentFetch, type ConsentReport } from './consent-sync';
import type { OutboxEntry } from './outbox';
import { createSyncRound } from './run-sync';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const prac = { reference: 'Practitioner/prac-001' } as const;
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: prac.reference, patient: patient.id };
const NOW = Date.parse('2024-05-05T08:00:00Z');
const PSY = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' };

const nothing: ConsentDirective = { version: 'v1', deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] } };
const revoked: ConsentDirective = { version: 'v2', deniedTypes: ['Observation', 'DocumentReference'], perResourceTypes: [], redactLabels: [PSY], writeDenied: { create: ['DocumentReference'], update: [] } };

async function open() {
  const records = await createOffline({ indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange } }).open(owner);
  const store = createSyncStore(records);
  await records.write({
    put: [
      { cls: 'clinical', type: 'Observation', id: 'o1', value: { resourceType: 'Observation', id: 'o1' } },
      { cls: 'clinical', type: 'Condition', id: 'c1', value: { resourceType: 'Condition', id: 'c1' } },
      { cls: 'clinical', type: 'Condition', id: 'c-psy', value: { resourceType: 'Condition', id: 'c-psy', meta: { security: [PSY] } } },
    ],
  });
  return { records, store };
}

const entry = (over: Partial<OutboxEntry>): OutboxEntry => ({
  id: 'e', op: 'create', resourceType: 'DocumentReference', resourceId: 'd', payload: { resourceType: 'DocumentReference', status: 'current', content: [] }, idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, state: 'pending', createdAt: 0, ...over,
});

describe('planConsentHolds', () => {
  it('holds pending entries whose type or labels are no longer permitted, and leaves the rest', () => {
    const outbox = [
      entry({ id: 'create-doc' }),
      entry({ id: 'update-doc', op: 'update' }),
      entry({ id: 'labelled', op: 'update', resourceType: 'Condition', payload: { resourceType: 'Condition', subject: {}, meta: { security: [PSY] } } as never }),
      entry({ id: 'failed-doc', state: 'failed' }),
    ];
    const held = planConsentHolds(outbox, revoked, NOW);
    expect(held.map((e) => [e.id, e.state, e.lastError?.code])).toEqual([['create-doc', 'needs-review', 'held'], ['labelled', 'needs-review', 'held']]);
    expect(planConsentHolds(outbox, nothing, NOW)).toEqual([]);
  });
});

describe('applyConsentDirective', () => {
  it('on a new version holds what is no longer permitted, purges what is no longer covered, and does it once', async () => {
    const { records, store } = await open();
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, { now: NOW, newId: () => crypto.randomUUID() });
    expect(await applyConsentDirective({ store, records, now: () => NOW }, nothing)).toEqual({ changed: true, version: nothing.version, held: 0, purged: 0 });
    expect(await applyConsentDirective({ store, records, now: () => NOW }, revoked)).toEqual({ changed: true, version: revoked.version, held: 1, purged: 2 });
    expect((await store.loadOutbox()).map((e) => e.state)).toEqual(['needs-review']);
    expect((await records.list({ cls: 'clinical' })).map((r) => r.id)).toEqual(['c1']);
    // The local copy of the held note is the person's work: it stays.
    expect(await records.list({ cls: 'drafts' })).toHaveLength(1);
    expect(await applyConsentDirective({ store, records, now: () => NOW }, revoked)).toEqual({ changed: false, version: revoked.version, held: 0, purged: 0 });
  });
});

describe('screenMustAskAgain', () => {
  const report = (changed: boolean, version: string, purged = 0): ConsentReport => ({ changed, version, held: 0, purged });
  it('leaves the views alone on a device\'s first round under the choices the page was judged under', () => {
    // The device has acted on no version yet, so the round reports a change; the page's answers
    // were judged under this same version, so asking for them again would only repeat them.
    expect(screenMustAskAgain(report(true, 'v1'), false, 'v1')).toBe(false);
  });
  it('makes the views ask again when the choices changed after the page was judged, even on the first round', () => {
    expect(screenMustAskAgain(report(true, 'v2'), false, 'v1')).toBe(true);
    // The device already knew v2 from an earlier visit, but this page was judged under v1.
    expect(screenMustAskAgain(report(false, 'v2'), false, 'v1')).toBe(true);
  });
  it('makes the views ask again after a wipe, or when copies a view may show were purged', () => {
    expect(screenMustAskAgain(undefined, true, 'v1')).toBe(true);
    expect(screenMustAskAgain(report(true, 'v1', 3), false, 'v1')).toBe(true);
  });
  it('without a version from the page, asks again exactly when the version is new to the device', () => {
    expect(screenMustAskAgain(report(true, 'v1'), false, undefined)).toBe(true);
    expect(screenMustAskAgain(report(false, 'v1'), false, undefined)).toBe(false);
    expect(screenMustAskAgain(undefined, false, undefined)).toBe(false);
  });
});

describe('applyConsentDirective on an unchanged version', () => {
  it('still holds a change queued since, but purges nothing again', async () => {
    const { records, store } = await open();
    await applyConsentDirective({ store, records, now: () => NOW }, revoked);
    await records.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o2', value: { resourceType: 'Observation', id: 'o2' } }] });
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Later', author: prac }, { now: NOW, newId: () => crypto.randomUUID() });
    expect(await applyConsentDirective({ store, records, now: () => NOW }, revoked)).toEqual({ changed: false, version: revoked.version, held: 1, purged: 0 });
    expect((await store.loadOutbox()).map((e) => e.state)).toEqual(['needs-review']);
  });
});

describe('a sync round with consent', () => {
  it('holds a revoked write before the upload, so it is never sent, and purges the cache', async () => {
    const server = createFakeFhirServer();
    server.seed(patient);
    const { records, store } = await open();
    let directive: ConsentFetch = nothing;
    const round = createSyncRound({ store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], consent: { fetch: async () => directive, records } });
    expect(await round()).toMatchObject({ outcome: 'ok', consent: { changed: true } });
    await queueMutation(store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, { now: NOW, newId: () => crypto.randomUUID() });
    directive = revoked;
    const result = await round();
    expect(result).toMatchObject({ outcome: 'ok', consent: { changed: true, held: 1, purged: 2 }, upload: { sent: 0 } });
    expect(server.log.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(await records.get('Observation', 'o1')).toBeUndefined();
  });

  it('stops when the directive says the launch ended, and carries on without one when unavailable', async () => {
    const server = createFakeFhirServer();
    const { records, store } = await open();
    expect(await createSyncRound({ store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], consent: { fetch: async () => 'stopped', records } })()).toMatchObject({ outcome: 'stopped', stopped: { code: 'launch-ended' } });
    const carried = await createSyncRound({ store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], consent: { fetch: async () => 'unavailable', records } })();
    expect(carried.outcome).toBe('ok');
    expect(carried.consent).toBeUndefined();
  });
});

describe('fetchConsentDirective', () => {
  const answer = (status: number, body: unknown) => async () => ({ status, json: async () => body });
  it('parses a directive and maps failures to stable outcomes', async () => {
    expect(await fetchConsentDirective(answer(200, revoked), '/x')).toEqual(revoked);
    expect(await fetchConsentDirective(answer(401, {}), '/x')).toBe('stopped');
    expect(await fetchConsentDirective(answer(500, {}), '/x')).toBe('unavailable');
    expect(await fetchConsentDirective(answer(200, { version: 'v' }), '/x')).toBe('unavailable');
    expect(await fetchConsentDirective(async () => { throw new TypeError('offline'); }, '/x')).toBe('offline');
  });
});
