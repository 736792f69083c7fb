import { expect, test } from '@playwright/test';
import { FIRST_LOAD_LIMIT_BYTES, isBudgeted, kb, routeBundles } from '../scripts/bundle-sizes';

/**
 * A size check, not a timing one: the build `npm run test:e2e` just made must keep every portal
 * and chart page's first-load JavaScript (gzipped) within the limit (scripts/bundle-sizes.ts: the
 * 150 KB goal itself). `npm run bench` prints the whole table.
 */
test('every portal and chart page loads no more JavaScript than its budget on first load', () => {
  const routes = routeBundles().filter((r) => isBudgeted(r.route));
  // Both surfaces are in the build: a renamed route must not make this check pass by measuring nothing.
  expect(routes.some((r) => r.route === '/l/[launchId]/portal')).toBe(true);
  expect(routes.some((r) => r.route === '/l/[launchId]/chart')).toBe(true);
  const over = routes.filter((r) => r.gzipBytes > FIRST_LOAD_LIMIT_BYTES).map((r) => `${r.route}: ${kb(r.gzipBytes)} KB`);
  expect(over, `over ${kb(FIRST_LOAD_LIMIT_BYTES)} KB gzipped on first load`).toEqual([]);
});
