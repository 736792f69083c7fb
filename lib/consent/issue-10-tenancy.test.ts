/**
 * Issue 10, tenancy: two enabled issuers whose patients share an id (`pat-001` at issuer-a and
 * at issuer-b) are two people. Nothing kept per patient crosses between them: consents (for
 * enforcement, for the patient's list, for revocation), the sync directive, share links, the
 * access history, audit queries, chart visits, drafts and held changes.
 */
import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { recordAudit, toAccessHistory, unusualAccessNow } from '../audit';
import { ChartVisits, StoreKey, type LaunchRecord, type Store } from '../store';
import { STORE_ADAPTERS } from '../store/test-stores';
import { patientDefault, restrictActor, shareLinkRecipient, shareWith } from './build';
import { checkLinkConsent, endConsent } from './consent-changes';
import { loadConsentContext } from './load-context';
import { launchConsentDirective } from './sync-directive';

const NOW = new Date('2026-11-01T09:00:00Z');
const A = { issuerId: 'issuer-a', patientId: 'pat-001' };
const B = { issuerId: 'issuer-b', patientId: 'pat-001' };
const TYPES = ['Condition', 'Observation'];

async function launch(store: Store, id: string, issuerId: string, workflow: 'patient' | 'clinician', fhirUser: string, patientId = 'pat-001'): Promise<LaunchRecord> {
  return store.launches.createLaunch({
    id, browserSessionId: 's', issuerId, workflow, patientId, encounterId: null, fhirUser, scope: 'launch/patient patient/*.rs', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null,
    tokens: { accessToken: 'a', tokenType: 'bearer' },
  });
}

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s: the same patient id at two issuers', (_name, adapter) => {
  async function twoTenants() {
    const store = await adapter.open(StoreKey.ephemeral(), () => NOW.getTime());
    return {
      store,
      patientA: await launch(store, 'LA', 'issuer-a', 'patient', 'Patient/pat-001'),
      patientB: await launch(store, 'LB', 'issuer-b', 'patient', 'Patient/pat-001'),
      clinicianA: await launch(store, 'LCA', 'issuer-a', 'clinician', 'Practitioner/prac-001'),
      clinicianB: await launch(store, 'LCB', 'issuer-b', 'clinician', 'Practitioner/prac-001'),
    };
  }

  it("enforces, lists and sends to the EHR only the issuer's own patient's consents, and the sync directive follows", async () => {
    const { store, clinicianA, clinicianB, patientB } = await twoTenants();
    await store.consents.save({ ...patientDefault({ patientId: 'pat-001', id: 'deny-a', rule: 'deny', dateTime: NOW.toISOString() }), id: 'deny-a' }, A);
    await store.consents.save({ ...restrictActor({ patientId: 'pat-001', id: 'restrict-a', actor: 'Practitioner/prac-001', dateTime: NOW.toISOString() }), id: 'restrict-a' }, A);

    expect((await store.consents.listForPatient(A)).map((c) => c.id).sort()).toEqual(['deny-a', 'restrict-a']);
    expect(await store.consents.listForPatient(B)).toEqual([]);
    expect(await store.consents.ehrRecords(B)).toEqual([]);
    expect(await store.consents.get(B, 'deny-a')).toBeUndefined();
    expect(await store.consents.history(B, 'deny-a')).toEqual([]);

    expect((await loadConsentContext(clinicianA, store.consents, NOW))?.consents).toHaveLength(2);
    expect((await loadConsentContext(clinicianB, store.consents, NOW))?.consents).toEqual([]);
    expect((await loadConsentContext(patientB, store.consents, NOW))?.consents).toEqual([]);

    const atA = await launchConsentDirective(clinicianA, store.consents, TYPES, NOW);
    const atB = await launchConsentDirective(clinicianB, store.consents, TYPES, NOW);
    expect(atA).toMatchObject({ wipe: true, deniedTypes: TYPES });
    expect(atB).toMatchObject({ wipe: false, deniedTypes: [] });
  });

  it("refuses a revocation, a save or a link check across issuers, changing nothing", async () => {
    const { store } = await twoTenants();
    const share = shareWith({ patientId: 'pat-001', id: 'c-a', recipient: shareLinkRecipient('link-a'), resourceTypes: ['Condition'], period: { start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' } });
    await store.consents.save({ ...share, id: 'c-a' }, A);
    const { token, link } = await store.shareLinks.create({ id: 'link-a', launchId: 'LA', issuerId: 'issuer-a', patientId: 'pat-001', resourceTypes: ['Condition'], ttlMs: 3_600_000, consentId: 'c-a' });

    const byB = { launchId: 'LB', patientId: 'pat-001', fhirUser: 'Patient/pat-001', issuerId: 'issuer-b' };
    expect(await endConsent(store, 'c-a', 'revoke', byB, NOW)).toEqual({ ok: false, code: 'not-found' });
    await expect(store.consents.save({ ...share, id: 'c-a', status: 'inactive' }, B)).rejects.toThrow('another patient');
    expect(await store.consents.get(A, 'c-a')).toMatchObject({ status: 'active' });
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: true });

    expect(await checkLinkConsent(store, link, NOW)).toBeNull();

    expect(await endConsent(store, 'c-a', 'revoke', { ...byB, launchId: 'LA', issuerId: 'issuer-a' }, NOW)).toMatchObject({ ok: true, endedLinks: ['link-a'] });
    // A link is judged by the consent kept for its own issuer and patient: under another issuer there is none.
    expect(await checkLinkConsent(store, link, NOW)).toBe('consent-revoked');
    expect(await checkLinkConsent(store, { ...link, issuerId: 'issuer-b' }, NOW)).toBe('consent-entered-in-error');
  });

  it("lists, finds and revokes share links only for the issuer's own patient", async () => {
    const { store } = await twoTenants();
    const a = await store.shareLinks.create({ launchId: 'LA', issuerId: 'issuer-a', patientId: 'pat-001', resourceTypes: ['Condition'], ttlMs: 60_000 });
    const b = await store.shareLinks.create({ launchId: 'LB', issuerId: 'issuer-b', patientId: 'pat-001', resourceTypes: ['Observation'], ttlMs: 60_000 });
    expect((await store.shareLinks.listForPatient(A)).map((l) => l.id)).toEqual([a.link.id]);
    expect((await store.shareLinks.listForPatient(B)).map((l) => l.id)).toEqual([b.link.id]);
    expect(await store.shareLinks.get(B, a.link.id)).toBeUndefined();
    expect(await store.shareLinks.revoke(a.link.id, B)).toBeUndefined();
    expect(await store.shareLinks.open(a.token)).toMatchObject({ ok: true, link: { issuerId: 'issuer-a', patientId: 'pat-001' } });
    expect(await store.shareLinks.revoke(a.link.id, A)).toMatchObject({ id: a.link.id });
    expect(await store.shareLinks.open(b.token)).toMatchObject({ ok: true });
  });

  it("shows each patient only their own issuer's access history", async () => {
    const { store } = await twoTenants();
    const access = (launchId: string, issuerId: string, fhirUser: string) => recordAudit(store.audit, {
      category: 'access', outcome: 'success', subtype: 'read', actor: { fhirUser, clientId: 'housecall', issuerId }, patientId: 'pat-001', launchId, entity: { reference: 'Condition/c1' }, recorded: NOW,
    });
    await access('LCA', 'issuer-a', 'Practitioner/prac-at-a');
    await access('LCB', 'issuer-b', 'Practitioner/prac-at-b');
    await access('LCB', 'issuer-b', 'Practitioner/prac-at-b');
    const history = (key: typeof A) => store.audit.listForPatient(key).then((rows) => toAccessHistory(rows.map((r) => JSON.parse(r.body) as AuditEvent)).map((i) => i.who));
    expect(await history(A)).toEqual(['Practitioner/prac-at-a']);
    expect(await history(B)).toEqual(['Practitioner/prac-at-b', 'Practitioner/prac-at-b']);
    expect(await history({ issuerId: 'issuer-c', patientId: 'pat-001' })).toEqual([]);
    expect(await store.audit.verify()).toEqual({ ok: true, count: 3, chains: 1, anchors: 0 });
  });

  it('counts patients per issuer in unusual-access rules, so one user id at two issuers is not one person browsing', async () => {
    const { store } = await twoTenants();
    // The same user reference at each issuer opens 10 patients; together 20 patient ids, the many-patients threshold.
    for (const [issuerId, offset] of [['issuer-a', 0], ['issuer-b', 10]] as const) {
      for (let i = 0; i < 10; i++) {
        const id = `L-${issuerId}-${i}`;
        await launch(store, id, issuerId, 'clinician', 'Practitioner/prac-001', `pat-${offset + i}`);
        await recordAudit(store.audit, { category: 'access', outcome: 'success', subtype: 'read', actor: { fhirUser: 'Practitioner/prac-001', clientId: 'housecall', issuerId }, patientId: `pat-${offset + i}`, launchId: id, recorded: NOW });
      }
    }
    expect(await unusualAccessNow(store, NOW.getTime())).toEqual([]);
  });

  it('keeps chart visits, drafts and held changes apart per issuer', async () => {
    const { store } = await twoTenants();
    let t = NOW.getTime();
    const visits = new ChartVisits(store.db, () => t);
    const user = 'Practitioner/prac-001';
    await visits.recordOpen({ fhirUser: user, ...A }, 'LCA');
    t += 60_000;
    expect(await visits.lastOpenedBefore({ fhirUser: user, ...B }, 'LCB')).toBeNull();
    expect(await visits.lastOpenedBefore({ fhirUser: user, ...A }, 'LCA2')).toBe(NOW.getTime());

    await store.drafts.put({ fhirUser: user, ...A, name: 'note' }, 'a note about issuer-a pat-001');
    expect(await store.drafts.get({ fhirUser: user, ...B, name: 'note' })).toBeUndefined();
    expect(await store.held.hold({ fhirUser: user, ...A }, [{ entryId: 'e1', body: '{}' }])).toBe(1);
    expect(await store.held.list({ fhirUser: user, ...B })).toEqual([]);
    expect(await store.held.list({ fhirUser: user, ...A })).toHaveLength(1);
  });
});
