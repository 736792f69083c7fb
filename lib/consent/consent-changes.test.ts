import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { openSqliteStore, StoreKey, type Store } from '../store';
import { patientDefault, shareLinkRecipient, shareWith } from './build';
import { checkLinkConsent, endConsent } from './consent-changes';

const PAT = { issuerId: 'sandbox', patientId: 'pat-001' };
const by = { launchId: 'L1', patientId: 'pat-001', fhirUser: 'Patient/pat-001', issuerId: 'sandbox' };

async function withLink(store: Store, linkId: string, consentId: string, end = '2026-11-02T00:00:00Z') {
  const consent = shareWith({ patientId: 'pat-001', id: consentId, recipient: shareLinkRecipient(linkId), resourceTypes: ['Condition'], period: { start: '2026-11-01T00:00:00Z', end } });
  await store.consents.save({ ...consent, id: consentId }, PAT);
  return store.shareLinks.create({ id: linkId, launchId: 'L1', issuerId: 'sandbox', patientId: 'pat-001', resourceTypes: ['Condition'], ttlMs: 3_600_000, consentId });
}

async function auditTrail(store: Store): Promise<{ subtype?: string; what?: string; outcome?: string }[]> {
  const rows = await store.db.selectFrom('audit_events').select('body').orderBy('seq').execute();
  return rows.map((r) => JSON.parse(r.body) as AuditEvent).map((e) => ({ subtype: e.subtype?.[0]?.code, what: e.entity?.find((x) => x.role?.code !== '1')?.what?.reference ?? undefined, outcome: e.outcomeDesc }));
}

describe('endConsent', () => {
  const now = new Date('2026-11-01T09:00:00Z');

  it('revokes the consent, ends the share links made from it, and records both', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => now.getTime());
    const { token } = await withLink(store, 'link-1', 'c-1');
    const other = await withLink(store, 'link-2', 'c-2');
    const result = await endConsent(store, 'c-1', 'revoke', by, now);
    expect(result).toMatchObject({ ok: true, consent: { status: 'inactive' }, endedLinks: ['link-1'] });
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'revoked', link: { endReason: 'consent-revoked' } });
    expect(await store.shareLinks.open(other.token)).toMatchObject({ ok: true });
    expect(await auditTrail(store)).toEqual([
      { subtype: 'consent-revoke', what: 'Consent/c-1', outcome: undefined },
      { subtype: 'share-link-revoke', what: 'urn:housecall:share-link:link-1', outcome: 'consent-revoked' },
    ]);
  });

  it('marks a consent entered in error and its links say withdrawn', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => now.getTime());
    const { token } = await withLink(store, 'link-1', 'c-1');
    expect(await endConsent(store, 'c-1', 'mark-entered-in-error', by, now)).toMatchObject({ ok: true, consent: { status: 'entered-in-error' } });
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'withdrawn' });
  });

  it("refuses another patient's consent as not found and a second revocation by its transition code, changing nothing", async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => now.getTime());
    const { token } = await withLink(store, 'link-1', 'c-1');
    expect(await endConsent(store, 'c-1', 'revoke', { ...by, patientId: 'pat-002' }, now)).toEqual({ ok: false, code: 'not-found' });
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: true });
    await endConsent(store, 'c-1', 'revoke', by, now);
    expect(await endConsent(store, 'c-1', 'revoke', by, now)).toEqual({ ok: false, code: 'illegal-transition' });
    await store.consents.save({ ...patientDefault({ patientId: 'pat-001', id: 'd', rule: 'deny' }), id: 'd' }, PAT);
    expect(await endConsent(store, 'missing', 'revoke', by, now)).toEqual({ ok: false, code: 'not-found' });
  });
});

describe('checkLinkConsent', () => {
  it('lets a link stand while its consent is in force, and ends it once the consent has expired, recording why', async () => {
    let t = new Date('2026-11-01T09:00:00Z').getTime();
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => t);
    const { token, link } = await withLink(store, 'link-1', 'c-1', '2026-11-01T10:00:00Z');
    expect(await checkLinkConsent(store, link, new Date(t))).toBeNull();
    t = new Date('2026-11-01T10:00:01Z').getTime();
    expect(await checkLinkConsent(store, link, new Date(t))).toBe('consent-expired');
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'expired', link: { endReason: 'consent-expired' } });
    expect((await auditTrail(store)).at(-1)).toEqual({ subtype: 'share-link-revoke', what: 'urn:housecall:share-link:link-1', outcome: 'consent-expired' });
  });

  it('ends a link whose consent was changed to entered-in-error behind its back', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => Date.parse('2026-11-01T09:00:00Z'));
    const { link } = await withLink(store, 'link-1', 'c-1');
    const consent = await store.consents.get(PAT, 'c-1');
    await store.consents.save({ ...consent!, id: 'c-1', status: 'entered-in-error' }, PAT);
    expect(await checkLinkConsent(store, link, new Date('2026-11-01T09:00:00Z'))).toBe('consent-entered-in-error');
  });
});
