/**
 * Runs every benchmark, one after another, each in its own process (so one that fails to start
 * cannot hide the others), and prints their tables. `BENCH_QUICK=1` makes each short: CI runs that
 * mode only to prove every benchmark still starts and prints its table. Nothing here asserts a
 * time; a benchmark fails only when it crashes or prints no table.
 *
 *   npm run bench              (all, full length)
 *   BENCH_QUICK=1 npm run bench
 */
import { spawn } from 'node:child_process';

interface Bench {
  name: string;
  script: string;
}

const BENCHES: Bench[] = [
  { name: 'chart round trips', script: 'bench/chart-round-trips.ts' },
  { name: 'offline sync: delta vs full refetch', script: 'bench/offline-sync.ts' },
  { name: 'laboratory series of the big patient', script: 'bench/result-series.ts' },
  { name: 'several instances: two against one on PostgreSQL', script: 'bench/scale.ts' },
  { name: 'FHIR proxy vs sandbox direct and the floor route', script: 'bench/proxy.ts' },
  { name: 'first-load JavaScript per route', script: 'bench/bundles.ts' },
  { name: 'a phone waiting for the first screen', script: 'bench/phone.ts' },
];

/** A table row (cells between `|`): what every benchmark prints its results as. */
const TABLE_ROW = /^[^\n|]*\|[^\n]*\|[^\n]*$/m;

function runOne(bench: Bench): Promise<{ code: number | null; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench.script], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code, output, ms: performance.now() - started }));
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? BENCHES.filter((b) => only.some((o) => b.script.includes(o))) : BENCHES;
  const summary: string[][] = [];
  let failed = 0;
  for (const bench of selected) {
    console.log(`\n## ${bench.name} (${bench.script})${process.env.BENCH_QUICK === '1' ? ', quick mode' : ''}`);
    const { code, output, ms } = await runOne(bench);
    const table = TABLE_ROW.test(output);
    const ok = code === 0 && table;
    if (!ok) failed++;
    summary.push([bench.name, ok ? 'ran' : code !== 0 ? `exited ${code}` : 'printed no table', `${(ms / 1000).toFixed(1)} s`]);
  }
  console.log('\n| benchmark | result | wall time |\n| --- | --- | --- |');
  for (const row of summary) console.log(`| ${row.join(' | ')} |`);
  if (failed) {
    console.error(`\n${failed} benchmark(s) did not run to a table`);
    process.exit(1);
  }
}

void main();
