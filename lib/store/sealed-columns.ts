import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { StoreKey } from './seal';

/**
 * Every sealed column of the store, and the associated data that binds each value to its row.
 * The stores seal and open through these, and `resealAll` walks them all: a sealed column added
 * anywhere else would keep values under a key that rotation then drops.
 */
export const sealedFor = {
  pending: (stateHash: string) => `pending:${stateHash}`,
  tokens: (launchId: string) => `launch:${launchId}:tokens`,
  draft: (keyHash: string) => `draft:${keyHash}`,
  held: (ownerHash: string, entryId: string) => `held:${ownerHash}:${entryId}`,
};

type SealedTable = 'pending_authorizations' | 'launches' | 'drafts' | 'held_changes';

interface SealedColumn {
  table: SealedTable;
  column: 'sealed' | 'tokens_sealed';
  /** The row's key columns, in order. */
  keys: readonly string[];
  aad: (row: Record<string, string>) => string;
}

export const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'pending_authorizations', column: 'sealed', keys: ['state_hash'], aad: (r) => sealedFor.pending(r.state_hash!) },
  { table: 'launches', column: 'tokens_sealed', keys: ['id'], aad: (r) => sealedFor.tokens(r.id!) },
  { table: 'drafts', column: 'sealed', keys: ['key_hash'], aad: (r) => sealedFor.draft(r.key_hash!) },
  { table: 'held_changes', column: 'sealed', keys: ['owner_hash', 'entry_id'], aad: (r) => sealedFor.held(r.owner_hash!, r.entry_id!) },
];

export interface ResealCount {
  table: SealedTable;
  rows: number;
  /** Sealed again under the current key. */
  resealed: number;
  /** Already under the current key. */
  current: number;
  /** Could not be opened with any key held (left as they are; named by count only). */
  unreadable: number;
  /** Changed by the running app between the read and the write (it sealed them under the current key itself). */
  changedMeanwhile: number;
}

/**
 * Seals every sealed value again under `key`'s current key (older keys must still be in `key` to
 * open them). Each row is swapped only if its sealed value is still the one read, so it can run
 * beside the app: a value the app rewrote meanwhile is already under the current key. Once
 * `unreadable` is 0 everywhere, the older keys can be removed from HOUSECALL_STORE_KEY.
 */
export async function resealAll(db: Kysely<Database>, key: StoreKey, batch = 500): Promise<ResealCount[]> {
  const out: ResealCount[] = [];
  // Kysely's typing cannot follow a table chosen at run time; the columns come from SEALED_COLUMNS only.
  const anyDb = db as unknown as Kysely<Record<string, Record<string, string>>>;
  for (const col of SEALED_COLUMNS) {
    const count: ResealCount = { table: col.table, rows: 0, resealed: 0, current: 0, unreadable: 0, changedMeanwhile: 0 };
    let after: string[] | null = null;
    for (;;) {
      let query = anyDb.selectFrom(col.table).select([...col.keys, col.column]).orderBy(col.keys[0]!);
      for (const k of col.keys.slice(1)) query = query.orderBy(k);
      if (after) {
        const last = after;
        query = query.where((eb) => (col.keys.length === 1 ? eb(col.keys[0]!, '>', last[0]!) : eb.or([eb(col.keys[0]!, '>', last[0]!), eb.and([eb(col.keys[0]!, '=', last[0]!), eb(col.keys[1]!, '>', last[1]!)])])));
      }
      const rows = await query.limit(batch).execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        count.rows++;
        const sealed = row[col.column]!;
        if (key.sealedWithCurrent(sealed)) {
          count.current++;
          continue;
        }
        const aad = col.aad(row);
        let plain: string;
        try {
          plain = key.open(sealed, aad);
        } catch {
          count.unreadable++;
          continue;
        }
        let update = anyDb.updateTable(col.table).set({ [col.column]: key.seal(plain, aad) }).where(col.column, '=', sealed);
        for (const k of col.keys) update = update.where(k, '=', row[k]!);
        const result = await update.executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) count.resealed++;
        else count.changedMeanwhile++;
      }
      after = col.keys.map((k) => rows[rows.length - 1]![k]!);
    }
    out.push(count);
  }
  return out;
}
