import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createOffline } from '@/lib/offline';
import { sameContent } from './content-hash';
import { enqueue } from './mutations';
import { transition, type OutboxEntry } from './outbox';
import { applySynced } from './schedule';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation, uploadOutbox } from './upload-queue';

const old: Patient = {
  resourceType: 'Patient', id: 'p1', meta: { versionId: '1' },
  telecom: [{ system: 'phone', use: 'mobile', value: '555-0100' }, { system: 'email', use: 'home', value: 'old@example.org' }],
};
let n = 0;
const ctx = () => ({ now: 1_000 + n, newId: () => `id-${(n += 1)}` });

/** The first entry sent and answered by the server with version 2, holding exactly its payload. */
function syncedFirst(first: OutboxEntry): { synced: OutboxEntry; serverCopy: Patient } {
  const serverCopy = { ...(first.payload as Patient), meta: { versionId: '2' } };
  const synced = transition(transition(first, { type: 'send', at: 2_000 }), { type: 'synced', id: 'p1', version: '2' });
  return { synced, serverCopy };
}

describe('applySynced re-bases only a change made on top of the synced one (issue #5: two tabs, no lost update)', () => {
  it('a change chained on the synced change’s local copy (same tab) moves to the new version and copy', () => {
    const phone = enqueue([], 'editTelecom', old, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx());
    const email = enqueue([phone.entry], 'editTelecom', phone.local as Patient, { system: 'email', use: 'home', value: 'new@example.org' }, ctx());
    const { synced, serverCopy } = syncedFirst(phone.entry);
    const [, rebased] = applySynced([synced, email.entry], synced, serverCopy);
    expect(rebased).toMatchObject({ baseVersion: '2', baseCopy: serverCopy });
  });

  it('a change made on the older copy (another tab’s form) keeps its base, so If-Match catches it and the merge keeps both', () => {
    const phone = enqueue([], 'editTelecom', old, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx());
    // The other tab still shows `old`: its email change is built on it, queued behind the phone change.
    const email = enqueue([phone.entry], 'editTelecom', old, { system: 'email', use: 'home', value: 'new@example.org' }, ctx());
    expect(email.entry.dependsOn).toEqual([phone.entry.id]);
    const { synced, serverCopy } = syncedFirst(phone.entry);
    const [, kept] = applySynced([synced, email.entry], synced, serverCopy);
    expect(kept!.baseVersion).toBe('1');
    expect(sameContent(kept!.baseCopy, old)).toBe(true);
    // Its payload still carries the old phone: sent as the new version, it would have undone the phone change.
    expect((kept!.payload as Patient).telecom?.find((t) => t.system === 'phone')?.value).toBe('555-0100');
  });
});

it('two changes queued on the same old copy both reach the server', async () => {
  const server = createFakeFhirServer();
  server.seed(old);
  const base = server.current('Patient', 'p1') as Patient;
  const store = createSyncStore(await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: 'Patient/p1', patient: 'p1' }));
  await queueMutation(store, 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx());
  await queueMutation(store, 'editTelecom', base, { system: 'email', use: 'home', value: 'new@example.org' }, ctx());
  expect(await uploadOutbox(store, { transport: server.transport, now: () => 5_000, random: () => 0 })).toMatchObject({ synced: 2, conflicts: 0 });
  const after = server.current('Patient', 'p1') as Patient;
  expect(after.telecom?.map((t) => t.value).sort()).toEqual(['555-0199', 'new@example.org']);
});
