/**
 * What each route's first load costs the browser in JavaScript, read from the production build
 * (`next build` writes `.next/diagnostics/route-bundle-stats.json`: each route's first-load
 * chunks) and gzipped here at the level `next start` serves them with. Used by `npm run bench`
 * (bench/bundles.ts prints the table) and by the e2e budget check (e2e/js-budget.spec.ts).
 * Chunks loaded later (a dynamic `import()` after the first screen) are not first load.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface RouteBundle {
  route: string;
  chunks: number;
  rawBytes: number;
  gzipBytes: number;
}

/** The goal: at most this much JavaScript, gzipped, on the first load of any portal or chart page. */
export const FIRST_LOAD_GOAL_BYTES = 150_000;

/**
 * What the size check (e2e/js-budget.spec.ts) enforces: the goal itself, which every portal and
 * chart page meets. A change that takes a page over it must find the bytes elsewhere.
 */
export const FIRST_LOAD_LIMIT_BYTES = FIRST_LOAD_GOAL_BYTES;

/** The routes the budget holds for: every page of the patient's portal and of the clinician's chart. */
export function isBudgeted(route: string): boolean {
  return /^\/l\/\[launchId\]\/(portal|chart)(\/|$)/.test(route);
}

interface StatsRow {
  route: string;
  firstLoadChunkPaths: string[];
}

/** Every route's first-load JavaScript in the build at `root`; throws when there is no build. */
export function routeBundles(root = process.cwd()): RouteBundle[] {
  const file = path.join(root, '.next/diagnostics/route-bundle-stats.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`next build\` first`);
  const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as StatsRow[];
  const gzipped = new Map<string, { raw: number; gz: number }>();
  const sizeOf = (chunk: string) => {
    let size = gzipped.get(chunk);
    if (!size) {
      const bytes = fs.readFileSync(path.join(root, chunk));
      size = { raw: bytes.length, gz: gzipSync(bytes).length };
      gzipped.set(chunk, size);
    }
    return size;
  };
  return rows
    .map((row) => {
      const sizes = row.firstLoadChunkPaths.map(sizeOf);
      return { route: row.route, chunks: sizes.length, rawBytes: sizes.reduce((n, s) => n + s.raw, 0), gzipBytes: sizes.reduce((n, s) => n + s.gz, 0) };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

export const kb = (bytes: number): string => (bytes / 1000).toFixed(1);
