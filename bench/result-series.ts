/**
 * Laboratory series for the big patient (pat-900, a decade of draws), beside a baseline measured
 * in the same process:
 *
 *   1. the floor: one plain pass over the same Observations, grouping them by their first code
 *      and sorting each group by date (what any grouping must at least do)
 *   2. the product's toResultSeries (lib/fhir/compose observations.ts) over half of them
 *   3. the same over all of them: about twice row 2's time if it stays one pass
 *
 *   npx tsx bench/result-series.ts        (BENCH_QUICK=1 for a few runs)
 *
 * A benchmark, not a test: it prints a table and asserts nothing. The unit tests check what the
 * series contain (lib/fhir/compose/observations.test.ts), never how long they take.
 */
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { BIG_PATIENT_ID, buildSeed } from '../fixtures';
import { toResultSeries } from '../lib/fhir/compose/observations';

/** `BENCH_QUICK=1` (CI): a few runs of each, to prove the benchmark still works. */
const RUNS = process.env.BENCH_QUICK === '1' ? 3 : 21;
const ctx = { source: 'Bench EHR', fetchedAt: '2026-11-01T09:00:00Z' };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function bundleOf(resources: Resource[]): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) };
}

/** The floor: group by first code, newest first. */
function plainGrouping(observations: readonly Observation[]): number {
  const groups = new Map<string, Observation[]>();
  for (const o of observations) {
    const code = o.code.coding?.[0]?.code ?? '';
    const group = groups.get(code);
    if (group) group.push(o);
    else groups.set(code, [o]);
  }
  for (const group of groups.values()) group.sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''));
  return groups.size;
}

function main(): void {
  const chart = buildSeed().patients.find((p) => p.patient.id === BIG_PATIENT_ID);
  if (!chart) throw new Error(`no seeded patient ${BIG_PATIENT_ID}`);
  const labs = chart.resources.filter(
    (r): r is Observation => r.resourceType === 'Observation' && (r.category ?? []).some((c) => c.coding?.some((x) => x.code === 'laboratory')),
  );
  const half = labs.slice(0, Math.floor(labs.length / 2));
  const all = bundleOf(labs);
  const halfBundle = bundleOf(half);

  // Warm up (JIT) before measuring, then interleave the rows so machine load touches each alike.
  plainGrouping(labs);
  toResultSeries(all, ctx);
  const floor: number[] = [];
  const halfRuns: number[] = [];
  const allRuns: number[] = [];
  let series = 0;
  for (let i = 0; i < RUNS; i++) {
    floor.push(time(() => plainGrouping(labs)));
    halfRuns.push(time(() => toResultSeries(halfBundle, ctx)));
    allRuns.push(time(() => (series = toResultSeries(all, ctx).length)));
  }
  const base = median(floor);
  const rows: [string, number, number][] = [
    ['baseline: plain grouping by code, sorted by date', labs.length, base],
    ['toResultSeries, half the draws', half.length, median(halfRuns)],
    ['toResultSeries, every draw', labs.length, median(allRuns)],
  ];
  console.log(`Big patient ${BIG_PATIENT_ID}: ${labs.length} laboratory Observations in ${series} series; median of ${RUNS} runs.\n`);
  console.log('| what | observations | median ms | × baseline |\n| --- | --- | --- | --- |');
  for (const [what, n, ms] of rows) console.log(`| ${what} | ${n} | ${ms.toFixed(2)} | ${(ms / base).toFixed(1)} |`);
  console.log(`\nall / half: ${(median(allRuns) / median(halfRuns)).toFixed(2)} (about 2 when the work grows in step with the draws)`);
}

main();
