/**
 * The store adapters a test runs against: SQLite in memory, and PostgreSQL in a fresh schema of
 * the local server (`HOUSECALL_TEST_PG_URL`, default the machine's own trust-auth database;
 * `off` leaves it out explicitly). For tests only; each store opened is closed, and its schema
 * dropped, when the test finishes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import { onTestFinished } from 'vitest';
import { openPostgresStore, openSqliteStore, type Store } from './index';
import { migrate, type Migration } from './migrations';
import type { Database } from './schema';
import type { StoreKey } from './seal';

/** A store at an older schema, to fill with rows as they were then; `upgrade` opens it as the app does, running the remaining migrations. */
export interface LegacyStore {
  db: Kysely<Database>;
  upgrade(): Promise<Store>;
}

/** The PostgreSQL the tests use; `off` runs them on SQLite only. */
export const TEST_PG_URL = process.env.HOUSECALL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestAdapter {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty, migrated store; closed (and for PostgreSQL dropped) after the test. */
  open(key: StoreKey, now?: () => number): Promise<Store>;
  /** Several stores over one database, as several app instances behind a load balancer (PostgreSQL). */
  openShared(key: StoreKey, count: number, now?: () => number): Promise<Store[]>;
  /** Whether `openShared` models several instances in one test process. */
  shared: boolean;
  /** A database migrated only through `migrations` (an older schema version). */
  openAt(key: StoreKey, migrations: readonly Migration[], now?: () => number): Promise<LegacyStore>;
}

const sqlite: TestAdapter = {
  name: 'sqlite',
  shared: false,
  async open(key, now) {
    const store = await openSqliteStore(':memory:', key, now);
    onTestFinished(() => store.close());
    return store;
  },
  async openAt(key, migrations, now) {
    // A file, not :memory:, so that the upgrade opens the same database the old schema was built in.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-legacy-'));
    const file = path.join(dir, 'store.db');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(file) }) });
    await migrate(db, undefined, migrations);
    let store: Store | undefined;
    onTestFinished(async () => {
      if (store) await store.close();
      else await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    return {
      db,
      async upgrade() {
        await db.destroy();
        store = await openSqliteStore(file, key, now);
        return store;
      },
    };
  },
  openShared() {
    // better-sqlite3 is synchronous: connections in one process block each other's thread, so
    // several instances of the embedded adapter are tested as processes (sqlite-processes.test.ts).
    throw new Error('several SQLite instances are tested as separate processes');
  },
};

async function freshSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const schema = `hc_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: TEST_PG_URL, max: 1 });
  try {
    await admin.query(`create schema ${schema}`);
  } catch (error) {
    throw new Error(`PostgreSQL at HOUSECALL_TEST_PG_URL (${TEST_PG_URL.replace(/\/\/[^@]*@/, '//…@')}) is needed by the store tests; start it, point the variable at one, or set it to "off": ${(error as Error).message}`);
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const pool = new Pool({ connectionString: TEST_PG_URL, max: 1 });
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  };
  return { schema, drop };
}

const postgres: TestAdapter = {
  name: 'postgres',
  shared: true,
  async open(key, now) {
    const [store] = await postgres.openShared(key, 1, now);
    return store!;
  },
  async openAt(key, migrations, now) {
    const { schema, drop } = await freshSchema();
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: TEST_PG_URL, max: 2, options: `-c search_path=${schema}` }) }) });
    await migrate(db, undefined, migrations);
    let store: Store | undefined;
    onTestFinished(async () => {
      if (store) await store.close();
      else await db.destroy();
      await drop();
    });
    return {
      db,
      async upgrade() {
        await db.destroy();
        store = await openPostgresStore(TEST_PG_URL, key, now, { schema });
        return store;
      },
    };
  },
  async openShared(key, count, now) {
    const { schema, drop } = await freshSchema();
    const stores = await Promise.all(Array.from({ length: count }, () => openPostgresStore(TEST_PG_URL, key, now, { schema, max: 4 })));
    onTestFinished(async () => {
      for (const s of stores) await s.close();
      await drop();
    });
    return stores;
  },
};

/** Every adapter the store tests run on. */
export const STORE_ADAPTERS: readonly TestAdapter[] = TEST_PG_URL === 'off' ? [sqlite] : [sqlite, postgres];
