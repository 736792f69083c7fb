/**
 * What each page's first load costs in JavaScript: per route of the production build, the
 * chunks it loads before anything else, their size as built and gzipped (scripts/bundle-sizes.ts),
 * against the goal for the portal and the chart. Needs `next build` first (`npm test` builds).
 * Sizes, not times: the same build prints the same table, quick mode or not.
 *
 *   npx tsx bench/bundles.ts
 */
import { FIRST_LOAD_GOAL_BYTES, FIRST_LOAD_LIMIT_BYTES, isBudgeted, kb, routeBundles } from '../scripts/bundle-sizes';

function main(): void {
  const routes = routeBundles();
  const floor = routes.find((r) => r.route === '/');
  const header = ['route', 'chunks', 'built KB', 'gzipped KB', 'over the site root KB', 'goal'];
  const rows = routes.map((r) => [
    r.route,
    String(r.chunks),
    kb(r.rawBytes),
    kb(r.gzipBytes),
    floor ? kb(r.gzipBytes - floor.gzipBytes) : '',
    isBudgeted(r.route) ? (r.gzipBytes <= FIRST_LOAD_GOAL_BYTES ? 'within' : `over by ${kb(r.gzipBytes - FIRST_LOAD_GOAL_BYTES)}`) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nFirst-load JavaScript per route (KB = 1,000 bytes; gzipped as served). Goal for portal and chart pages: ${kb(FIRST_LOAD_GOAL_BYTES)} KB; the size check enforces ${kb(FIRST_LOAD_LIMIT_BYTES)} KB today.\n`);
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  if (floor) console.log(`\nThe site root (${kb(floor.gzipBytes)} KB) is Next.js and React with the root layout: every page pays it.`);
}

main();
