import { describe, expect, it } from 'vitest';
import { openSqliteStore, StoreKey } from './index';

describe('ShareLinkStore', () => {
  it('keeps only a hash of the token, opens until expiry, and refuses after revoke', async () => {
    let t = 1_000_000;
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => t);
    const { token, link } = await store.shareLinks.create({ launchId: 'L1', patientId: 'p1', resourceTypes: ['AllergyIntolerance'], ttlMs: 60_000 });
    const rows = await store.db.selectFrom('share_links').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: true, link: { id: link.id, resourceTypes: ['AllergyIntolerance'] } });
    expect(await store.shareLinks.open('x'.repeat(43))).toEqual({ ok: false, problem: 'unknown' });
    t += 60_000;
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'expired' });
    t -= 1;
    expect(await store.shareLinks.revoke(link.id, 'someone-else')).toBe(false);
    expect(await store.shareLinks.revoke(link.id, 'p1')).toBe(true);
    expect(await store.shareLinks.open(token)).toMatchObject({ ok: false, problem: 'revoked' });
  });
});
