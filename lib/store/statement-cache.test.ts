import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { STATEMENT_CACHE_MAX, withStatementCache } from './statement-cache';

function counted() {
  const database = new Sqlite(':memory:');
  let prepared = 0;
  const real = database.prepare.bind(database);
  database.prepare = ((sql: string) => {
    prepared++;
    return real(sql);
  }) as typeof database.prepare;
  database.exec('create table t (id integer primary key, v text)');
  database.exec("insert into t (v) values ('a'), ('b'), ('c')");
  return { database, prepared: () => prepared };
}

describe('withStatementCache (issue 16: SQLite statements prepared once)', () => {
  it('prepares each SQL text once across Kysely queries, with the right rows every time', async () => {
    const { database, prepared } = counted();
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    for (const id of [1, 2, 3, 2]) {
      expect((await db.selectFrom('t').select('v').where('id', '=', id).executeTakeFirst())?.v).toBe(['a', 'b', 'c'][id - 1]);
    }
    await db.updateTable('t').set({ v: 'z' }).where('id', '=', 1).execute();
    await db.updateTable('t').set({ v: 'y' }).where('id', '=', 2).execute();
    expect((await db.selectFrom('t').select('v').where('id', '=', 1).executeTakeFirst())?.v).toBe('z');
    expect(prepared()).toBe(2);
    await db.destroy();
  });

  it('hands a statement still being iterated to no one else: the second caller gets its own', () => {
    const { database, prepared } = counted();
    const cached = withStatementCache(database);
    const sql = 'select v from t order by id';
    const outer = cached.prepare(sql).iterate([]);
    expect((outer.next().value as { v: string }).v).toBe('a');
    expect(cached.prepare(sql).all([])).toHaveLength(3);
    expect((outer.next().value as { v: string }).v).toBe('b');
    outer.return?.();
    expect(prepared()).toBe(2);
    // Once the iteration is over, the cached statement is used again.
    expect(cached.prepare(sql).all([])).toHaveLength(3);
    expect(prepared()).toBe(2);
  });

  it(`keeps at most ${STATEMENT_CACHE_MAX} texts, forgetting the oldest`, () => {
    const { database, prepared } = counted();
    const cached = withStatementCache(database);
    for (let i = 0; i <= STATEMENT_CACHE_MAX; i++) cached.prepare(`select ${i} as n`).all([]);
    expect(prepared()).toBe(STATEMENT_CACHE_MAX + 1);
    cached.prepare(`select ${STATEMENT_CACHE_MAX} as n`).all([]);
    expect(prepared()).toBe(STATEMENT_CACHE_MAX + 1);
    cached.prepare('select 0 as n').all([]);
    expect(prepared()).toBe(STATEMENT_CACHE_MAX + 2);
  });
});
