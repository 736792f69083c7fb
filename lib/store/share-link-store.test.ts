import { describe, expect, it } from 'vitest';
import { StoreKey } from './index';
import { STORE_ADAPTERS } from './test-stores';

const P1 = { issuerId: 'sandbox', patientId: 'p1' };

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  describe('ShareLinkStore', () => {
    it('keeps only a hash of the token, opens until expiry, and refuses after revoke', async () => {
      let t = 1_000_000;
      const store = await adapter.open(StoreKey.ephemeral(), () => t);
      const { token, link } = await store.shareLinks.create({ launchId: 'L1', issuerId: 'sandbox', patientId: 'p1', resourceTypes: ['AllergyIntolerance'], ttlMs: 60_000 });
      const rows = await store.db.selectFrom('share_links').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(await store.shareLinks.open(token)).toMatchObject({ ok: true, link: { id: link.id, resourceTypes: ['AllergyIntolerance'] } });
      expect(await store.shareLinks.open('x'.repeat(43))).toEqual({ ok: false, problem: 'unknown' });
      t += 60_000;
      expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'expired' });
      t -= 1;
      expect(await store.shareLinks.revoke(link.id, { issuerId: 'sandbox', patientId: 'someone-else' })).toBeUndefined();
      expect(await store.shareLinks.revoke(link.id, P1)).toMatchObject({ id: link.id });
      expect(await store.shareLinks.revoke(link.id, P1)).toBeUndefined();
      expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'revoked' });
    });

    it('ends every live link made from a consent, once, and says why on the link', async () => {
      const t = 1_000_000;
      const store = await adapter.open(StoreKey.ephemeral(), () => t);
      const a = await store.shareLinks.create({ launchId: 'L1', issuerId: 'sandbox', patientId: 'p1', resourceTypes: ['Condition'], ttlMs: 60_000, consentId: 'c1' });
      const b = await store.shareLinks.create({ launchId: 'L1', issuerId: 'sandbox', patientId: 'p1', resourceTypes: ['Condition'], ttlMs: 60_000, consentId: 'c1' });
      const other = await store.shareLinks.create({ launchId: 'L1', issuerId: 'sandbox', patientId: 'p1', resourceTypes: ['Condition'], ttlMs: 60_000, consentId: 'c2' });
      await store.shareLinks.revoke(b.link.id, P1);
      expect(await store.shareLinks.endForConsent('c1', 'consent-revoked')).toEqual([a.link.id]);
      expect(await store.shareLinks.endForConsent('c1', 'consent-revoked')).toEqual([]);
      expect(await store.shareLinks.open(a.token)).toMatchObject({ ok: false, problem: 'revoked', link: { consentId: 'c1', endReason: 'consent-revoked' } });
      expect(await store.shareLinks.open(b.token)).toMatchObject({ ok: false, problem: 'revoked', link: { endReason: 'link-revoked' } });
      expect(await store.shareLinks.open(other.token)).toMatchObject({ ok: true });
      expect(await store.shareLinks.endForConsent('c2', 'consent-entered-in-error')).toEqual([other.link.id]);
      expect(await store.shareLinks.open(other.token)).toMatchObject({ ok: false, problem: 'withdrawn' });
    });
  });
});
