import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createOffline, type PartitionOwner } from '@/lib/offline';
import type { Transport, TransportRequest } from './ports';
import { readCurrent } from './read-current';
import { createSyncStore } from './sync-store';
import { queueMutation } from './upload-queue';

const HOUR = 3_600_000;
const STORED_AT = Date.parse('2026-03-01T08:00:00Z');
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: 'Patient/p1', patient: 'p1' };
const cachedCopy: Patient = { resourceType: 'Patient', id: 'p1', meta: { versionId: '1' }, telecom: [{ system: 'phone', use: 'mobile', value: '555-0100' }] };
const serverCopy: Patient = { ...cachedCopy, meta: { versionId: '2' }, telecom: [{ system: 'phone', use: 'mobile', value: '555-0200' }] };

/** A store holding the Patient as downloaded at STORED_AT, read at `clock.now`. */
async function setUp() {
  const clock = { now: STORED_AT };
  const store = createSyncStore(await createOffline({ now: () => clock.now }).open(owner));
  await store.applyServerChanges({ resourceType: 'Patient', upserts: [cachedCopy], deletes: [] }, { key: 'Patient/p1', value: { strategy: 'full' } });
  return { clock, store };
}

function transport(answer: 'server' | 'unavailable' | 'offline'): Transport & { calls: TransportRequest[] } {
  const calls: TransportRequest[] = [];
  const send = async (request: TransportRequest) => {
    calls.push(request);
    if (answer === 'offline') throw new TypeError('Failed to fetch');
    if (answer === 'unavailable') return { status: 503, headers: {}, body: { resourceType: 'OperationOutcome', issue: [] } };
    return { status: 200, headers: {}, body: serverCopy };
  };
  return Object.assign(send, { calls });
}

describe('readCurrent (expired records are not shown as current)', () => {
  it('shows the cached copy within its retention, without asking the server', async () => {
    const { clock, store } = await setUp();
    clock.now = STORED_AT + 71 * HOUR;
    const server = transport('server');
    expect(await readCurrent(store, server, 'Patient', 'p1')).toEqual({ resource: cachedCopy });
    expect(server.calls).toEqual([]);
  });

  it('past retention, shows the server’s copy instead of the cached one', async () => {
    const { clock, store } = await setUp();
    clock.now = STORED_AT + 73 * HOUR;
    const server = transport('server');
    expect(await readCurrent(store, server, 'Patient', 'p1')).toEqual({ resource: serverCopy });
    expect(server.calls).toEqual([{ method: 'GET', url: 'Patient/p1' }]);
  });

  it.each(['offline', 'unavailable'] as const)('past retention and the server %s: nothing, since the copy may no longer stay on the device (issue 12)', async (answer) => {
    const { clock, store } = await setUp();
    clock.now = STORED_AT + 73 * HOUR;
    expect(await readCurrent(store, transport(answer), 'Patient', 'p1')).toBeUndefined();
  });

  it('an unsent change of the person’s own never expires: it is shown as current', async () => {
    const { clock, store } = await setUp();
    await queueMutation(store, 'editTelecom', cachedCopy, { system: 'email', use: 'home', value: 'a@example.org' }, { now: clock.now, newId: () => crypto.randomUUID() });
    clock.now = STORED_AT + 100 * 24 * HOUR;
    const shown = await readCurrent<Patient>(store, transport('offline'), 'Patient', 'p1');
    expect(shown?.oldCopyFrom).toBeUndefined();
    expect(shown?.resource.telecom?.find((t) => t.system === 'email')?.value).toBe('a@example.org');
  });

  it('nothing cached and no server: nothing to show', async () => {
    const { store } = await setUp();
    expect(await readCurrent(store, transport('offline'), 'Patient', 'p2')).toBeUndefined();
  });
});
