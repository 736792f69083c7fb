import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toAuditEvent } from '../audit/audit-event';
import { chainHash, GENESIS_HASH, StoreKey } from './index';
import { MIGRATIONS } from './migrations';
import { STORE_ADAPTERS } from './test-stores';
import type { LegacyStore } from './test-stores';

/** Every migration before the one that keyed rows by issuer: the schema a deployment had until then. */
const BEFORE_TENANCY = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === '011-tenancy'));

const T0 = Date.parse('2026-11-01T09:00:00Z');
const token = (c: string) => c.repeat(43);
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Rows as the old schema held them: no issuer on consents, share links or audit events. */
async function seedLegacy({ db }: LegacyStore): Promise<void> {
  const launch = (id: string, issuerId: string, workflow: 'patient' | 'clinician', patientId: string) => ({
    id, browser_session_id: 's', issuer_id: issuerId, workflow, patient_id: patientId, encounter_id: null, fhir_user: workflow === 'patient' ? `Patient/${patientId}` : 'Practitioner/prac-001',
    scope: 'launch/patient', need_patient_banner: 1, smart_style_url: null, tokens_sealed: 'x', access_expires_at: null, created_at: T0, updated_at: T0, ended_at: null, end_reason: null,
    refresh_lease_until: null, break_glass_until: null,
  });
  await db.insertInto('launches').values([
    launch('LA1', 'issuer-a', 'patient', 'pat-001'),
    launch('LB1', 'issuer-b', 'patient', 'pat-001'),
    launch('LA2', 'issuer-a', 'patient', 'pat-002'),
    launch('LB3', 'issuer-b', 'clinician', 'pat-003'),
  ]).execute();

  const consent = (id: string, patientId: string) => ({
    id, patient_id: patientId, status: 'active', version: 1, resource: JSON.stringify({ resourceType: 'Consent', id, status: 'active', patient: { reference: `Patient/${patientId}` } }), updated_at: T0,
    ehr_id: null, ehr_version: null, ehr_state: null, ehr_synced_version: null,
  });
  // c-a: its audit event names it (launch LA1); c-b: a share link was made from it (LB1);
  // c-amb: pat-001 has patient launches at both issuers and nothing else says which;
  // c-2: pat-002's only patient launches are at issuer-a; c-3: pat-003 had no patient launch at all.
  await db.insertInto('consents').values([consent('c-a', 'pat-001'), consent('c-b', 'pat-001'), consent('c-amb', 'pat-001'), consent('c-2', 'pat-002'), consent('c-3', 'pat-003')] as never).execute();

  const link = (id: string, launchId: string, patientId: string, consentId: string | null, c: string) => ({
    token_hash: sha256(token(c)), id, launch_id: launchId, patient_id: patientId, resource_types: '["Condition"]', created_at: T0, expires_at: T0 + 86_400_000, revoked_at: null, consent_id: consentId, end_reason: null,
  });
  await db.insertInto('share_links').values([link('link-b', 'LB1', 'pat-001', 'c-b', 'b'), link('link-a', 'LA1', 'pat-001', null, 'a'), link('link-gone', 'L-gone', 'pat-001', null, 'g')] as never).execute();

  // A version-1 chain, hashed as the old code did.
  let prev = GENESIS_HASH;
  const events: [string, string | null, string, string | null, string, string | undefined][] = [
    ['e1', 'LA1', 'issuer-a', 'pat-001', 'consent', 'Consent/c-a'],
    ['e2', 'LB1', 'issuer-b', 'pat-001', 'access', 'Observation/o1'],
    ['e3', 'LA1', 'issuer-a', 'pat-001', 'access', 'Condition/x'],
    ['e4', null, 'issuer-a', null, 'session', undefined],
  ];
  for (const [i, [id, launchId, issuerId, patientId, category, reference]] of events.entries()) {
    const recorded = new Date(T0 + i * 1000);
    const body = JSON.stringify(toAuditEvent({ id, recorded, category: category as 'access', outcome: 'success', subtype: 'read', actor: { fhirUser: null, clientId: 'housecall', issuerId }, patientId, launchId, ...(reference ? { entity: { reference } } : {}) }));
    const row = { id, recorded_at: recorded.getTime(), patient_id: patientId, launch_id: launchId, category, outcome: 'success', body };
    const hash = chainHash(prev, { ...row, issuer_id: null }, 1);
    await db.insertInto('audit_events').values({ ...row, seq: i + 1, prev_hash: prev, hash } as never).execute();
    prev = hash;
  }
}

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  describe('011-tenancy', () => {
    it('fills the issuer of existing rows from their launches and leaves what it cannot attribute unusable', async () => {
      const legacy = await adapter.openAt(StoreKey.ephemeral(), BEFORE_TENANCY, () => T0);
      await seedLegacy(legacy);
      const store = await legacy.upgrade();

      const consents = await store.db.selectFrom('consents').select(['id', 'issuer_id']).orderBy('id').execute();
      expect(consents).toEqual([
        { id: 'c-2', issuer_id: 'issuer-a' }, { id: 'c-3', issuer_id: null }, { id: 'c-a', issuer_id: 'issuer-a' }, { id: 'c-amb', issuer_id: null }, { id: 'c-b', issuer_id: 'issuer-b' },
      ]);
      expect((await store.consents.listForPatient({ issuerId: 'issuer-a', patientId: 'pat-001' })).map((c) => c.id)).toEqual(['c-a']);
      expect((await store.consents.listForPatient({ issuerId: 'issuer-b', patientId: 'pat-001' })).map((c) => c.id)).toEqual(['c-b']);

      const links = await store.db.selectFrom('share_links').select(['id', 'issuer_id']).orderBy('id').execute();
      expect(links).toEqual([{ id: 'link-a', issuer_id: 'issuer-a' }, { id: 'link-b', issuer_id: 'issuer-b' }, { id: 'link-gone', issuer_id: null }]);
      expect(await store.shareLinks.open(token('a'))).toMatchObject({ ok: true, link: { id: 'link-a', issuerId: 'issuer-a' } });
      expect(await store.shareLinks.open(token('g'))).toEqual({ ok: false, problem: 'unknown' });

      const audit = await store.db.selectFrom('audit_events').select(['id', 'issuer_id', 'hash_version']).orderBy('seq').execute();
      expect(audit.map((r) => [r.id, r.issuer_id, Number(r.hash_version)])).toEqual([['e1', 'issuer-a', 1], ['e2', 'issuer-b', 1], ['e3', 'issuer-a', 1], ['e4', null, 1]]);
      expect((await store.audit.listForPatient({ issuerId: 'issuer-a', patientId: 'pat-001' })).map((r) => r.id)).toEqual(['e3', 'e1']);
    });

    it('keeps the audit chain verifiable across the upgrade, and detects a moved issuer on old and new rows', async () => {
      const legacy = await adapter.openAt(StoreKey.ephemeral(), BEFORE_TENANCY, () => T0);
      await seedLegacy(legacy);
      const store = await legacy.upgrade();
      // 012 moved the rows into the legacy chain, in their old order, and anchored its head.
      expect(await store.audit.verify()).toEqual({ ok: true, count: 4, chains: 1, anchors: 1 });

      const body = JSON.stringify(toAuditEvent({ id: 'e5', recorded: new Date(T0 + 10_000), category: 'access', outcome: 'success', subtype: 'read', actor: { fhirUser: null, clientId: 'housecall', issuerId: 'issuer-b' }, patientId: 'pat-001', launchId: 'LB1' }));
      const appended = await store.audit.append({ id: 'e5', recorded_at: T0 + 10_000, issuer_id: 'issuer-b', patient_id: 'pat-001', launch_id: 'LB1', category: 'access', outcome: 'success', body });
      expect(appended).toMatchObject({ seq: 5, hash_version: 3, chain_id: store.audit.chainId, chain_seq: 1 });
      expect(await store.audit.verify()).toEqual({ ok: true, count: 5, chains: 2, anchors: 1 });

      // An old row's issuer is not in its hash, but its hashed body names the issuer: moving it to another tenant is caught.
      await store.db.updateTable('audit_events').set({ issuer_id: 'issuer-b' }).where('id', '=', 'e3').execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 3, reason: 'issuer-mismatch' });
      await store.db.updateTable('audit_events').set({ issuer_id: 'issuer-a' }).where('id', '=', 'e3').execute();
      expect(await store.audit.verify()).toEqual({ ok: true, count: 5, chains: 2, anchors: 1 });
      // A new row's issuer is in its hash; claiming the old format to escape that fails too.
      await store.db.updateTable('audit_events').set({ issuer_id: 'issuer-a' }).where('id', '=', 'e5').execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 5, reason: 'hash-mismatch' });
      await store.db.updateTable('audit_events').set({ issuer_id: 'issuer-b', hash_version: 1 }).where('id', '=', 'e5').execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, brokenAtSeq: 5, reason: 'hash-mismatch' });
      await store.db.updateTable('audit_events').set({ issuer_id: 'issuer-b', hash_version: 3 }).where('id', '=', 'e5').execute();
      expect(await store.audit.verify()).toMatchObject({ ok: true, count: 5 });
      // The anchor 012 wrote holds the legacy chain's last row: cutting it off is caught, though no link is broken.
      await store.db.deleteFrom('audit_events').where('id', '=', 'e4').execute();
      expect(await store.audit.verify()).toMatchObject({ ok: false, reason: 'truncated', chainId: 'legacy', anchorSeq: 1 });
    });
  });
});
