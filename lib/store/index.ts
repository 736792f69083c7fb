import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import { Pool, types as pgTypes } from 'pg';
import { serverEnv } from '../env';
import { processSingleton } from '../process-singleton';
import { logger } from '../telemetry';
import { migrate } from './migrations';
import { AuditStore, type AuditLocks } from './audit-store';
import { ConsentStore } from './consent-store';
import { DraftStore } from './draft-store';
import { HeldChangeStore } from './held-change-store';
import { ShareLinkStore } from './share-link-store';
import { LaunchStore } from './launch-store';
import { SupportStore } from './support-store';
import type { Database } from './schema';
import { StoreKey } from './seal';
import { withStatementCache } from './statement-cache';

export { LaunchStore, type LaunchRecord, type LaunchTokens, type NewLaunch, type PendingSecret, type ConsumeResult, type ReplaceTokensResult } from './launch-store';
export { StoreKey } from './seal';
export { resealAll, SEALED_COLUMNS, type ResealCount } from './sealed-columns';
export { ConsentStore, EHR_STATES, type ConsentEhrRecord, type ConsentEhrState } from './consent-store';
export { DraftStore, type DraftOwner } from './draft-store';
export { HeldChangeStore, HELD_CHANGE_TTL_MS, MAX_HELD_PER_OWNER, type HeldOwner, type HeldChange } from './held-change-store';
export { ShareLinkStore, SHARE_LINK_END_REASONS, type ShareLink, type ShareLinkProblem, type ShareLinkEndReason } from './share-link-store';
export * from './chart-visits';
export { AuditStore, type AuditLocks } from './audit-store';
export { chainHash, anchorHash, GENESIS_HASH, AUDIT_HASH_VERSION, LEGACY_CHAIN_ID, type NewAuditRow, type AnchorHead } from './audit-chain';
export type { ChainCheck, ChainProblem } from './audit-verify';
export { SupportStore, ERROR_REFERENCE_TTL_MS, type ErrorReference, type LaunchKey } from './support-store';
export type { PatientKey } from './patient-key';
export type { AuditEventTable } from './schema';
export type { Database } from './schema';

export interface Store {
  db: Kysely<Database>;
  /** Which adapter: the embedded SQLite file, or PostgreSQL shared by several instances. */
  dialect: 'sqlite' | 'postgres';
  launches: LaunchStore;
  audit: AuditStore;
  consents: ConsentStore;
  drafts: DraftStore;
  held: HeldChangeStore;
  shareLinks: ShareLinkStore;
  /** Error references and device sync reports, for the staff console's support pages. */
  support: SupportStore;
  /** Closes the connection (the pool, for PostgreSQL). */
  close(): Promise<void>;
}

function assemble(db: Kysely<Database>, dialect: Store['dialect'], key: StoreKey, now: () => number, auditLocks: AuditLocks): Store {
  return {
    db, dialect,
    launches: new LaunchStore(db, key, now), audit: new AuditStore(db, auditLocks, now), consents: new ConsentStore(db, now), drafts: new DraftStore(db, key, now), held: new HeldChangeStore(db, key, now), shareLinks: new ShareLinkStore(db, now), support: new SupportStore(db, now),
    close: () => db.destroy(),
  };
}

/** An SQLite-backed store; `:memory:` for tests. Migrations run before it is returned. */
export async function openSqliteStore(file: string, key: StoreKey, now: () => number = Date.now): Promise<Store> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new Sqlite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  await migrate(db, (trx) => sqliteWriteLock(trx, 'housecall_migrations'));
  // SQLite has one writer for the whole file: an append waits for any other process's write
  // transaction (the support script's, say), and the wait is reported as such.
  return assemble(db, 'sqlite', key, now, {
    chain: (trx) => timed(() => sqliteWriteLock(trx, 'audit_events')),
    anchors: (trx) => sqliteWriteLock(trx, 'audit_anchors'),
  });
}

/**
 * Takes SQLite's write lock at the start of a transaction. A transaction that reads first and
 * then writes cannot wait for another connection's write (SQLite answers "database is locked" at
 * once, to avoid a deadlock), as when the support script audits while the server does; a write
 * statement first waits its turn (busy_timeout) instead. The statement changes nothing.
 */
async function sqliteWriteLock(trx: Transaction<Database>, table: 'audit_events' | 'audit_anchors' | 'housecall_migrations'): Promise<void> {
  try {
    await sql`update ${sql.table(table)} set rowid = rowid where 0`.execute(trx);
  } catch (error) {
    // Before the very first migration the table does not exist yet; creating it is a write that takes the lock itself.
    if (!/no such table/.test(String((error as Error).message))) throw error;
  }
}

/** PostgreSQL's int8 (every epoch-millisecond column) arrives as a string unless told otherwise; these fit a JS number. */
const INT8_OID = 20;

/**
 * A PostgreSQL-backed store, for several Housecall instances behind a load balancer: the same
 * tables and migrations as SQLite (Kysely speaks to both). What SQLite gets from having one
 * writer, PostgreSQL gets from locks: migrations and audit anchors take a transaction-scoped
 * advisory lock, so two instances cannot both migrate or write the same anchor; an audit append
 * extends the instance's own chain and locks only that chain, so instances never queue behind
 * each other's appends; the refresh lease is a conditional UPDATE, atomic in both. `schema` (tests) selects a
 * schema through the connection's search_path.
 */
export async function openPostgresStore(url: string, key: StoreKey, now: () => number = Date.now, options: { schema?: string; max?: number } = {}): Promise<Store> {
  const pool = new Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8_OID ? (v: string) => Number(v) : pgTypes.getTypeParser(oid, format as 'text'))) as typeof pgTypes.getTypeParser },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  await migrate(db, (trx) => advisoryLock(trx, 'housecall-migrations'));
  return assemble(db, 'postgres', key, now, {
    chain: (trx, chainId) => chainLock(trx, `housecall-audit-chain:${chainId}`),
    anchors: (trx) => advisoryLock(trx, 'housecall-audit-anchors'),
  });
}

async function advisoryLock(trx: Transaction<Database>, name: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}

/**
 * A chain's lock: tried first, so an uncontended lock (the normal case: one instance per chain)
 * reports no wait at all; only when another holder has it is the blocking wait timed.
 */
async function chainLock(trx: Transaction<Database>, name: string): Promise<number> {
  const { rows } = await sql<{ got: boolean }>`select pg_try_advisory_xact_lock(hashtext(${name})) as got`.execute(trx);
  if (rows[0]?.got) return 0;
  return timed(() => advisoryLock(trx, name));
}

/** Seconds `f` took. */
async function timed(f: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await f();
  return (performance.now() - started) / 1000;
}

/** How often a running app anchors the audit chains (lib/store audit-store.ts anchor): the window in which a chain's tail could be cut unseen. */
export const AUDIT_ANCHOR_INTERVAL_MS = 30_000;

/** Anchors the audit chains every interval while the process runs; a failed anchor is logged and tried again next time. */
function anchorPeriodically(store: Store): Store {
  const timer = setInterval(() => {
    store.audit.anchor().catch((error: unknown) => logger.error({ event: 'audit.anchor_failed', err: (error as Error).message }, 'could not write an audit anchor'));
  }, AUDIT_ANCHOR_INTERVAL_MS);
  timer.unref();
  return store;
}

/** The process's store, opened once from the validated environment: PostgreSQL when HOUSECALL_DATABASE_URL is set, else the SQLite file. */
export function getStore(): Promise<Store> {
  return processSingleton('store', () => {
    const env = serverEnv();
    let key: StoreKey;
    if (env.HOUSECALL_STORE_KEY) key = StoreKey.fromBase64(env.HOUSECALL_STORE_KEY);
    else {
      logger.warn({ event: 'store.ephemeral_key' }, 'HOUSECALL_STORE_KEY is not set: launches will not survive a restart');
      key = StoreKey.ephemeral();
    }
    return (env.HOUSECALL_DATABASE_URL ? openPostgresStore(env.HOUSECALL_DATABASE_URL, key) : openSqliteStore(env.HOUSECALL_DB, key)).then(anchorPeriodically);
  });
}
