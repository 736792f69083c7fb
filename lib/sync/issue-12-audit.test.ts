/**
 * Issue 12: automatic merges are audited (fields and versions on both sides), and a resolution's
 * audit keeps the decision it was (`reapply`) and the versions it was given.
 */
import type { AllergyIntolerance, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline } from '@/lib/offline';
import { resolveConflict } from './merge';
import { reapplyOnTheirs } from './reapply';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { queueMutation, uploadOutbox } from './upload-queue';

const chart = buildSeed().patients[0]!;
const patient = chart.patient as Patient & { id: string };
const allergy = chart.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance & { id: string };
const DEVICE_T0 = Date.parse('2024-05-05T08:00:00Z');

async function setup() {
  const server = createFakeFhirServer();
  server.seed(patient, allergy);
  const store = createSyncStore(await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: 'Patient/p', patient: patient.id }));
  let ids = 0;
  const ctx = () => ({ now: DEVICE_T0, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}` });
  return { server, store, ctx, deps: { transport: server.transport, now: () => DEVICE_T0, random: () => 0.5 } };
}

describe('an automatic merge', () => {
  it('is reported with the fields each side changed and both versions, for the audit log', async () => {
    const t = await setup();
    const entry = await queueMutation(t.store, 'editTelecom', t.server.current('Patient', patient.id) as Patient, { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    t.server.edit<Patient>('Patient', patient.id, (p) => ({ ...p, address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    const report = await uploadOutbox(t.store, t.deps);
    expect(report).toMatchObject({ merged: 1, synced: 1 });
    expect(report.merges).toEqual([
      {
        kind: 'sync-conflict-resolution', who: '', when: new Date(DEVICE_T0).toISOString(), entryId: entry.id, resource: `Patient/${patient.id}`, mutation: 'editTelecom',
        decision: 'auto-merge', fields: ['telecom[phone|mobile].value'], theirsFields: ['address[home].city'], baseVersion: '1', theirsVersion: '2',
      },
    ]);
  });

  it('no merge, no audit record', async () => {
    const t = await setup();
    await queueMutation(t.store, 'editTelecom', t.server.current('Patient', patient.id) as Patient, { system: 'phone', use: 'mobile', value: '555-0199' }, t.ctx());
    const report = await uploadOutbox(t.store, t.deps);
    expect(report).toMatchObject({ merged: 0, synced: 1 });
    expect(report.merges).toBeUndefined();
  });
});

describe('a person’s resolution', () => {
  it('records reapply as reapply, with the versions it was settled between', async () => {
    const t = await setup();
    await queueMutation(t.store, 'commentOnAllergy', t.server.current('AllergyIntolerance', allergy.id) as AllergyIntolerance, { text: 'Rash again', author: { reference: 'Patient/p' } }, t.ctx());
    t.server.edit<AllergyIntolerance>('AllergyIntolerance', allergy.id, (a) => ({ ...a, criticality: 'high' }));
    expect(await uploadOutbox(t.store, t.deps)).toMatchObject({ conflicts: 1 });
    const [review] = await t.store.loadOutbox();
    const again = reapplyOnTheirs(review!, review!.conflict!.theirs);
    expect(again).toBeDefined();
    const { audit } = resolveConflict(review!, { decision: 'reapply', resource: again! }, { who: 'Patient/p', now: DEVICE_T0 });
    expect(audit).toMatchObject({ decision: 'reapply', resource: `AllergyIntolerance/${allergy.id}`, baseVersion: '1', theirsVersion: '2' });
  });
});
