/** Issue 5: a wipe directive (or a launch ended for the person) crypto-shreds the partition in every tab. */
import type { Patient } from '@medplum/fhirtypes';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createChannelHub, createOffline, databaseName, OfflineStoreError, type PartitionOwner } from '@/lib/offline';
import { fetchConsentDirective, type ConsentDirective, type ConsentFetch } from './consent-sync';
import { createCoordinator, eventForRound } from './coordinator';
import { createSyncRound } from './run-sync';
import { next, INITIAL_SYNC_STATE } from './sync-state';
import { describe as describeState } from './sync-words';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const prac = { reference: 'Practitioner/prac-001' } as const;
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: prac.reference, patient: patient.id };
const NOW = Date.parse('2024-05-05T08:00:00Z');
const wipe: ConsentDirective = { version: 'w', deniedTypes: ['Condition', 'Observation', 'Patient'], perResourceTypes: [], redactLabels: [], writeDenied: { create: ['Condition'], update: ['Condition'] }, wipe: true };
const allowed: ConsentDirective = { version: 'a', deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] }, wipe: false };

async function twoTabs() {
  const factory = new IDBFactory();
  const hub = createChannelHub();
  const deps = { indexedDB: factory, IDBKeyRange };
  const wiped: string[] = [];
  const tabA = createOffline({ indexedDB: deps, channel: hub });
  const tabB = createOffline({ indexedDB: deps, channel: hub, onWiped: (_scope, origin) => wiped.push(origin) });
  const records = await tabA.open(owner);
  const other = await tabB.open(owner);
  await records.write({ put: [{ cls: 'clinical', type: 'Condition', id: 'c1', value: { resourceType: 'Condition', id: 'c1' } }] });
  const store = createSyncStore(records);
  const names = async () => (await factory.databases()).map((d) => d.name ?? '');
  return { records, other, store, names, wiped, partitionDb: databaseName(records.partition) };
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i += 1) await new Promise((r) => setTimeout(r, 10));
}

describe('a sync round told to wipe', () => {
  for (const [name, fetched, reason, stopped] of [
    ['the directive says wipe', wipe, 'consent', 'consent-denied'],
    ['the launch was withdrawn', 'withdrawn', 'launch-withdrawn', 'launch-withdrawn'],
  ] as const) {
    it(`${name}: shreds the partition in every tab, sends nothing, and counts the unsent changes it discarded`, async () => {
      const t = await twoTabs();
      const server = createFakeFhirServer();
      server.seed(patient);
      await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, { now: NOW, newId: () => crypto.randomUUID() });
      expect(await t.names()).toContain(t.partitionDb);
      const directive: ConsentFetch = fetched;
      const result = await createSyncRound({ store: t.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], consent: { fetch: async () => directive, records: t.records } })();
      expect(result).toMatchObject({ outcome: 'stopped', stopped: { code: stopped }, wipe: { reason, discarded: 1 } });
      expect(server.log.filter((r) => r.method === 'POST')).toHaveLength(0);
      expect(await t.names()).not.toContain(t.partitionDb);
      await expect(t.records.get('Condition', 'c1')).rejects.toBeInstanceOf(OfflineStoreError);
      await waitFor(() => t.wiped.length > 0);
      expect(t.wiped).toEqual(['remote']);
      await expect(t.other.get('Condition', 'c1')).rejects.toBeInstanceOf(OfflineStoreError);
      // The indicator says why and what was lost; the event carries it to the tabs that follow.
      const state = next(INITIAL_SYNC_STATE, eventForRound(result));
      expect(state).toMatchObject({ kind: 'stopped', reason: 'wiped', wipe: { reason, discarded: 1 } });
      expect(describeState(state, { waiting: 0, needsReview: 0, failed: 0 })).toMatch(/erased its copy on this device — 1 change not yet sent was discarded$/);
    });
  }

  it('a directive without wipe keeps the store, and the coordinator stays stopped after a wipe', async () => {
    const t = await twoTabs();
    const server = createFakeFhirServer();
    let directive: ConsentFetch = allowed;
    const round = createSyncRound({ store: t.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], consent: { fetch: async () => directive, records: t.records } });
    expect((await round()).outcome).toBe('ok');
    expect(await t.records.get('Condition', 'c1')).toBeDefined();
    expect(await t.names()).toContain(t.partitionDb);
    directive = wipe;
    const coordinator = createCoordinator({ name: 'p', now: () => NOW, runRound: round });
    await coordinator.trigger('manual');
    expect(coordinator.state()).toMatchObject({ kind: 'stopped', reason: 'wiped', wipe: { reason: 'consent', discarded: 0 } });
    expect(describeState(coordinator.state(), { waiting: 0, needsReview: 0, failed: 0 })).toBe('The patient no longer shares this record with you, so Housecall erased its copy on this device');
    expect(await coordinator.trigger('manual')).toBe('stopped');
  });
});

describe('a round whose directive got no answer', () => {
  it('sends nothing (a network coming back can fail the directive and carry the upload), and says offline', async () => {
    const t = await twoTabs();
    const server = createFakeFhirServer();
    await queueMutation(t.store, 'draftNote', null, { patient: patient.id, text: 'Visit', author: prac }, { now: NOW, newId: () => crypto.randomUUID() });
    const result = await createSyncRound({ store: t.store, transport: server.transport, now: () => NOW, random: () => 0.5, targets: [], consent: { fetch: async () => 'offline', records: t.records } })();
    expect(result.outcome).toBe('offline');
    expect(server.log).toEqual([]);
    expect((await t.store.loadOutbox()).map((e) => e.state)).toEqual(['pending']);
  });
});

describe('fetchConsentDirective on a 401', () => {
  const outcome = (code: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'expired', details: { coding: [{ system: 'urn:housecall:outcome', code }] } }] });
  const answer = (status: number, body: unknown) => async () => ({ status, json: async () => body });
  it('tells a launch withdrawn by the EHR or support (erase) from a plain session end', async () => {
    expect(await fetchConsentDirective(answer(401, outcome('launch-withdrawn')), '/x')).toBe('withdrawn');
    expect(await fetchConsentDirective(answer(401, outcome('launch-ended')), '/x')).toBe('stopped');
    expect(await fetchConsentDirective(answer(401, 'not json'), '/x')).toBe('stopped');
    expect(await fetchConsentDirective(answer(200, wipe), '/x')).toEqual(wipe);
  });
});
