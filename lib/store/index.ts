import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { serverEnv } from '../env';
import { processSingleton } from '../process-singleton';
import { logger } from '../telemetry';
import { migrate } from './migrations';
import { AuditStore } from './audit-store';
import { ConsentStore } from './consent-store';
import { DraftStore } from './draft-store';
import { HeldChangeStore } from './held-change-store';
import { ShareLinkStore } from './share-link-store';
import { LaunchStore } from './launch-store';
import type { Database } from './schema';
import { StoreKey } from './seal';

export { LaunchStore, type LaunchRecord, type LaunchTokens, type NewLaunch, type PendingSecret, type ConsumeResult } from './launch-store';
export { StoreKey } from './seal';
export { ConsentStore, EHR_STATES, type ConsentEhrRecord, type ConsentEhrState } from './consent-store';
export { DraftStore, type DraftOwner } from './draft-store';
export { HeldChangeStore, HELD_CHANGE_TTL_MS, MAX_HELD_PER_OWNER, type HeldOwner, type HeldChange } from './held-change-store';
export { ShareLinkStore, SHARE_LINK_END_REASONS, type ShareLink, type ShareLinkProblem, type ShareLinkEndReason } from './share-link-store';
export * from './chart-visits';
export { AuditStore, chainHash, GENESIS_HASH, type ChainCheck, type NewAuditRow } from './audit-store';
export type { AuditEventTable } from './schema';
export type { Database } from './schema';

export interface Store {
  db: Kysely<Database>;
  launches: LaunchStore;
  audit: AuditStore;
  consents: ConsentStore;
  drafts: DraftStore;
  held: HeldChangeStore;
  shareLinks: ShareLinkStore;
}

/** An SQLite-backed store; `:memory:` for tests. Migrations run before it is returned. */
export async function openSqliteStore(file: string, key: StoreKey, now: () => number = Date.now): Promise<Store> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Sqlite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrate(db);
  return { db, launches: new LaunchStore(db, key, now), audit: new AuditStore(db), consents: new ConsentStore(db, now), drafts: new DraftStore(db, key, now), held: new HeldChangeStore(db, key, now), shareLinks: new ShareLinkStore(db, now) };
}

/** The process's store, opened once from the validated environment. */
export function getStore(): Promise<Store> {
  return processSingleton('store', () => {
    const env = serverEnv();
    let key: StoreKey;
    if (env.HOUSECALL_STORE_KEY) key = StoreKey.fromBase64(env.HOUSECALL_STORE_KEY);
    else {
      logger.warn({ event: 'store.ephemeral_key' }, 'HOUSECALL_STORE_KEY is not set: launches will not survive a restart');
      key = StoreKey.ephemeral();
    }
    return openSqliteStore(env.HOUSECALL_DB, key);
  });
}
