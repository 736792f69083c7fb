/**
 * Issue 12, "Nothing stuck": regressions for the sync review of 76b23ec (defects 1, 3, 4;
 * probes c1 and e2, e5).
 */
import type { AllergyIntolerance, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline } from '@/lib/offline';
import { summarize } from './outbox';
import type { TransportResponse } from './ports';
import { createSyncRound } from './run-sync';
import { describe as sentence, INITIAL_SYNC_STATE } from './sync-state';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer, type FakeServerOptions } from './test-fhir-server';
import { classify } from './upload';
import { queueMutation, uploadOutbox } from './upload-queue';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const allergy = seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance & { id: string };
const prac = { reference: 'Practitioner/prac-001' } as const;
const DEVICE_T0 = Date.parse('2024-05-05T08:00:00Z');

async function setup(options: FakeServerOptions = {}) {
  const server = createFakeFhirServer(options);
  server.seed(patient, allergy);
  const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: prac.reference, patient: patient.id });
  const store = createSyncStore(records);
  let clock = DEVICE_T0;
  const deps = { transport: server.transport, now: () => clock, random: () => 0.5 };
  return { server, store, records, deps, setClock: (ms: number) => (clock = ms), now: () => clock };
}

const conflict409: TransportResponse = {
  status: 409,
  headers: {},
  body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'conflict', details: { coding: [{ system: 'urn:housecall:outcome', code: 'version-conflict' }] } }] },
};

describe('a 409 from the EHR is a version conflict, like 412 (defect 4)', () => {
  it('classifies a 409 on an update or delete as a conflict, and on a create as a failure', () => {
    const entry = { op: 'update', resourceType: 'Patient', resourceId: 'p1' } as const;
    expect(classify(entry, { ok: true, response: conflict409 }, 0)).toEqual({ kind: 'conflict' });
    expect(classify({ ...entry, op: 'delete' }, { ok: true, response: conflict409 }, 0)).toEqual({ kind: 'conflict' });
    expect(classify({ ...entry, op: 'create' }, { ok: true, response: conflict409 }, 0)).toEqual({ kind: 'failed', error: { code: 'version-conflict', status: 409 } });
  });

  it('merges disjoint demographic edits when the server answers a stale If-Match with 409', async () => {
    const t = await setup({ conflictStatus: 409 });
    await queueMutation(t.store, 'editTelecom', t.server.current('Patient', patient.id) as Patient, { system: 'phone', use: 'mobile', value: '555-0199' }, { now: t.now(), newId: () => crypto.randomUUID() });
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ merged: 1, synced: 1, failed: 0 });
    const now = t.server.current('Patient', patient.id) as Patient;
    expect([now.telecom?.find((x) => x.use === 'mobile')?.value ?? now.telecom?.[0]?.value, now.address?.[0]?.city]).toEqual(['555-0199', 'Newtown']);
    expect(await t.store.loadOutbox()).toEqual([]);
  });

  it('sends a clinical change the server moved on from to review, never to failed', async () => {
    const t = await setup({ conflictStatus: 409 });
    await queueMutation(t.store, 'commentOnAllergy', t.server.current('AllergyIntolerance', allergy.id) as AllergyIntolerance, { text: 'Mild', author: prac }, { now: t.now(), newId: () => crypto.randomUUID() });
    t.server.edit<AllergyIntolerance>('AllergyIntolerance', allergy.id, (a) => ({ ...a, criticality: a.criticality === 'high' ? 'low' : 'high' }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ conflicts: 1, failed: 0 });
    const [entry] = await t.store.loadOutbox();
    expect(entry).toMatchObject({ state: 'needs-review', conflict: { theirs: { resourceType: 'AllergyIntolerance' } } });
    expect(sentence(INITIAL_SYNC_STATE, summarize(await t.store.loadOutbox()))).toBe('1 change needs your review');
  });
});
