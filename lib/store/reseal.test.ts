import { createCipheriv, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { LaunchStore, resealAll, SEALED_COLUMNS, StoreKey, type PendingSecret } from './index';
import { STORE_ADAPTERS } from './test-stores';

const b64 = () => randomBytes(32).toString('base64');

/** A value as sealed before key ids existed (`v1.iv.body.tag`), under `key`. */
function legacySeal(key: string, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'base64'), iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

describe('store key rotation', () => {
  it('seals with the first key, opens with any held key, and names a key it does not hold', () => {
    const [oldKey, newKey] = [b64(), b64()];
    const before = StoreKey.fromBase64(oldKey).seal('RT-1', 'launch:L1:tokens');
    const ring = StoreKey.fromBase64(`${newKey}, ${oldKey}`);
    expect(ring.open(before, 'launch:L1:tokens')).toBe('RT-1');
    expect(ring.sealedWithCurrent(before)).toBe(false);
    const after = ring.seal('RT-1', 'launch:L1:tokens');
    expect(ring.sealedWithCurrent(after)).toBe(true);
    expect(after).not.toContain(newKey);
    expect(StoreKey.fromBase64(newKey).open(after, 'launch:L1:tokens')).toBe('RT-1');
    expect(() => StoreKey.fromBase64(newKey).open(before, 'launch:L1:tokens')).toThrow(/does not hold/);
    // Still bound to its row, whichever key opens it.
    expect(() => ring.open(before, 'launch:L2:tokens')).toThrow();
    // Values from before key ids open under any key held, and only those.
    const legacy = legacySeal(oldKey, 'RT-0', 'launch:L1:tokens');
    expect(ring.open(legacy, 'launch:L1:tokens')).toBe('RT-0');
    expect(() => StoreKey.fromBase64(newKey).open(legacy, 'launch:L1:tokens')).toThrow(/any key/);
  });

  it('refuses a key list with a short key or the same key twice, by name and without the key', () => {
    const k = b64();
    expect(() => StoreKey.fromBase64(`${k},${Buffer.alloc(16).toString('base64')}`)).toThrow(/HOUSECALL_STORE_KEY must be 32 bytes/);
    expect(() => StoreKey.fromBase64(`${k} ${k}`)).toThrow(/same key twice/);
    expect(() => StoreKey.fromBase64(' , ')).toThrow(/empty/);
  });
});

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('store:reseal on %s', (_name, adapter) => {
  it('knows every sealed column of the schema', async () => {
    const store = await adapter.open(StoreKey.ephemeral());
    const columns = adapter.name === 'sqlite'
      ? (await sql<{ t: string; c: string }>`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'`.execute(store.db)).rows
      : (await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()`.execute(store.db)).rows;
    const sealed = columns.filter((r) => /sealed$/.test(r.c)).map((r) => `${r.t}.${r.c}`).sort();
    expect(sealed).toEqual(SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort());
  });

  it('seals every value again under the new key, so the old key can go; a value no key opens is counted and left', async () => {
    const [oldKey, newKey, lostKey] = [b64(), b64(), b64()];
    const store = await adapter.open(StoreKey.fromBase64(oldKey));
    const secret: PendingSecret = { codeVerifier: 'v'.repeat(43), nonce: 'n', launch: null, workflow: 'clinician', redirectUri: 'https://app/redirect' };
    await store.launches.createPending({ stateHash: 'S1', browserSessionId: 'b', issuerId: 'sandbox', secret, ttlMs: 600_000 });
    const launch = await store.launches.createLaunch({
      id: 'launch-reseal-0001', browserSessionId: 'b', issuerId: 'sandbox', workflow: 'clinician', patientId: 'pat-001', encounterId: null, fhirUser: 'Practitioner/prac-001',
      scope: 'patient/*.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000, tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
    });
    await store.launches.createLaunch({
      id: 'launch-reseal-0002', browserSessionId: 'b', issuerId: 'sandbox', workflow: 'clinician', patientId: 'pat-002', encounterId: null, fhirUser: 'Practitioner/prac-001',
      scope: 'patient/*.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: null, tokens: { accessToken: 'AT-2', tokenType: 'bearer' },
    });
    const owner = { issuerId: 'sandbox', fhirUser: 'Practitioner/prac-001', patientId: 'pat-001' };
    await store.drafts.put({ ...owner, name: 'note' }, '{"text":"draft"}');
    expect(await store.held.hold(owner, [{ entryId: 'e1', body: '{"a":1}' }, { entryId: 'e2', body: '{"b":2}' }])).toBe(2);
    // One row from before key ids, one under a key nobody holds any more.
    await store.db.updateTable('launches').set({ tokens_sealed: legacySeal(oldKey, JSON.stringify({ accessToken: 'AT-2', tokenType: 'bearer' }), 'launch:launch-reseal-0002:tokens') }).where('id', '=', 'launch-reseal-0002').execute();
    await store.drafts.put({ ...owner, name: 'lost' }, 'x');
    const lostHash = (await store.db.selectFrom('drafts').select(['key_hash', 'sealed']).execute()).find((r) => StoreKey.fromBase64(oldKey).open(r.sealed, `draft:${r.key_hash}`) === 'x')!.key_hash;
    await store.db.updateTable('drafts').set({ sealed: StoreKey.fromBase64(lostKey).seal('x', `draft:${lostHash}`) }).where('key_hash', '=', lostHash).execute();

    const ring = StoreKey.fromBase64(`${newKey},${oldKey}`);
    const first = await resealAll(store.db, ring, 1);
    expect(Object.fromEntries(first.map((c) => [c.table, [c.rows, c.resealed, c.current, c.unreadable]]))).toEqual({
      pending_authorizations: [1, 1, 0, 0], launches: [2, 2, 0, 0], drafts: [2, 1, 0, 1], held_changes: [2, 2, 0, 0],
    });
    // Run again: nothing left to do.
    expect((await resealAll(store.db, ring)).map((c) => c.resealed)).toEqual([0, 0, 0, 0]);

    // The new key alone opens everything but the value it could not read.
    const onlyNew = StoreKey.fromBase64(newKey);
    const launches = new LaunchStore(store.db, onlyNew);
    expect(await launches.getTokens(launch.id)).toMatchObject({ accessToken: 'AT-0', refreshToken: 'RT-0' });
    expect(await launches.getTokens('launch-reseal-0002')).toMatchObject({ accessToken: 'AT-2' });
    expect(await launches.consumePending('S1', 'b')).toMatchObject({ ok: true });
    for (const col of SEALED_COLUMNS) {
      const rows = (await store.db.selectFrom(col.table).selectAll().execute()) as unknown as Record<string, string>[];
      for (const row of rows) {
        if (col.table === 'drafts' && row.key_hash === lostHash) expect(() => onlyNew.open(row[col.column]!, col.aad(row))).toThrow(/does not hold/);
        else expect(() => onlyNew.open(row[col.column]!, col.aad(row))).not.toThrow();
      }
    }
  });
});
