import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore, StoreKey } from './index';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), 'housecall-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Appends `count` audit events from a separate Node process (test/append-audit-events.ts). */
function appendFrom(file: string, count: number, tag: string) {
  return run(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'test/append-audit-events.ts', file, String(count), tag], { timeout: 60_000 });
}

describe('the SQLite store shared by several processes (the server and the support script)', () => {
  it('migrates once and keeps a valid audit chain per process when processes start and append at the same time', async () => {
    const file = path.join(dir, 'shared.sqlite');
    await Promise.all([appendFrom(file, 25, 'a'), appendFrom(file, 25, 'b'), appendFrom(file, 25, 'c')]);
    const store = await openSqliteStore(file, StoreKey.ephemeral());
    try {
      expect(await store.audit.verify()).toEqual({ ok: true, count: 75, chains: 3, anchors: 0 });
      const applied = await store.db.selectFrom('housecall_migrations').select('name').execute();
      expect(new Set(applied.map((m) => m.name)).size).toBe(applied.length);
    } finally {
      await store.close();
    }
  }, 90_000);
});
