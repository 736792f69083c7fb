/**
 * Messages through the outbox (issue 14): a message is sent exactly once even when the answer to
 * its create is lost, a reply to a message still waiting is sent after it with the reference
 * rewritten, and a read receipt that meets a newer copy at the EHR is made again on that copy.
 */
import type { Communication, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createOffline } from '@/lib/offline';
import { reapplyOnTheirs } from './reapply';
import { createSyncStore } from './sync-store';
import { createFakeFhirServer } from './test-fhir-server';
import { IDEMPOTENCY_SYSTEM } from './upload';
import { queueMutation, uploadOutbox } from './upload-queue';

const ME = 'Patient/pat-001';
const GP = { reference: 'Practitioner/prac-001', display: 'Dr. Quinn Placebo' };

async function setup() {
  const server = createFakeFhirServer();
  server.seed({ resourceType: 'Patient', id: 'pat-001' } as Patient);
  const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: ME, patient: 'pat-001' });
  const store = createSyncStore(records);
  let clock = Date.parse('2026-11-01T10:00:00Z');
  let ids = 0;
  const deps = { transport: server.transport, now: () => clock, random: () => 0.5 };
  const ctx = () => ({ now: clock, newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}` });
  return { server, store, deps, ctx, advance: (ms: number) => (clock += ms) };
}

describe('messages in the outbox', () => {
  it('a message whose answer was lost is sent once: the retry finds the first copy', async () => {
    const t = await setup();
    t.server.inject((r) => r.method === 'POST', 'apply-then-drop');
    const entry = await queueMutation(t.store, 'sendMessage', null, { patient: 'pat-001', sender: ME, recipient: GP, text: 'Is my refill ready?', topic: 'Refill' }, t.ctx());
    expect((await uploadOutbox(t.store, t.deps)).synced).toBe(0);
    expect(t.server.all('Communication')).toHaveLength(1);
    t.advance(60_000);
    expect((await uploadOutbox(t.store, t.deps)).synced).toBe(1);
    const sent = t.server.all('Communication') as Communication[];
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ sender: { reference: ME }, recipient: [GP], topic: { text: 'Refill' }, payload: [{ contentString: 'Is my refill ready?' }] });
    expect(sent[0]!.identifier).toContainEqual({ system: IDEMPOTENCY_SYSTEM, value: entry.idempotencyKey });
    expect(await t.store.loadOutbox()).toEqual([]);
  });

  it('a reply to a message still waiting goes after it, answering the id the EHR gave it', async () => {
    const t = await setup();
    const first = await queueMutation(t.store, 'sendMessage', null, { patient: 'pat-001', sender: ME, recipient: GP, text: 'First', topic: 'Two in a row' }, t.ctx());
    const second = await queueMutation(t.store, 'sendMessage', null, { patient: 'pat-001', sender: ME, recipient: GP, text: 'And another thing', inResponseTo: first.localId! }, t.ctx());
    expect(second.dependsOn).toEqual([first.id]);
    expect((await uploadOutbox(t.store, t.deps)).synced).toBe(2);
    const [a, b] = t.server.all('Communication') as Communication[];
    expect(b!.inResponseTo).toEqual([{ reference: `Communication/${a!.id}` }]);
  });

  it('a read receipt made on an older copy is made again on the newer one, keeping what the EHR changed', () => {
    const message: Communication = { resourceType: 'Communication', id: 'm1', status: 'completed', meta: { versionId: '1' } };
    const theirs: Communication = { ...message, meta: { versionId: '2' }, note: [{ text: 'Seen by the practice nurse' }] };
    const reapplied = reapplyOnTheirs({ mutation: 'markMessageRead', baseCopy: message, payload: { ...message, received: '2026-11-01T10:00:00Z' } }, theirs) as Communication;
    expect(reapplied).toMatchObject({ received: '2026-11-01T10:00:00Z', note: [{ text: 'Seen by the practice nurse' }], meta: { versionId: '2' } });
    expect(reapplyOnTheirs({ mutation: 'markMessageRead', payload: { ...message, received: 'x' } }, { ...theirs, received: 'earlier' })).toBeUndefined();
  });
});
