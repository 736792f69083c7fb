import 'server-only';
import type Sqlite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared at most (Kysely's queries are parameterised, so they repeat). */
export const STATEMENT_CACHE_MAX = 500;

/**
 * The SQLite connection as Kysely sees it, with each SQL text prepared once. Kysely's driver
 * prepares every statement it runs; better-sqlite3 compiles it each time, which cost more than
 * running it in the proxy's profile (issue 16). A statement another caller is still iterating
 * (`busy`) is never handed out twice: that caller gets a fresh one. Oldest texts are forgotten
 * first past STATEMENT_CACHE_MAX.
 */
export function withStatementCache(database: Sqlite.Database): SqliteDatabase {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached as unknown as SqliteStatement;
      const statement = database.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_MAX) cache.delete(cache.keys().next().value!);
        cache.set(sql, statement);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}
