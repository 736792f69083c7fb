/**
 * Chart summary round trips: the chart's one parallel wave against a baseline that fetches the
 * same cards one after another, for the big patient (pat-900, 5,586 resources), with the
 * sandbox's FHIR latency knob at several values.
 *
 *   npx tsx bench/chart-round-trips.ts        (or: npm run bench:chart; BENCH_QUICK=1 for one run)
 *
 * What it does: starts the sandbox in-process on a free port (real FHIR server, real
 * authorization server), performs a scripted EHR launch for Dr. Quinn Placebo and pat-900 to
 * obtain an access token, then calls the sandbox's FHIR server directly with that token. The
 * request list is not copied: it is `summaryRequestPaths()` from lib/fhir, the same list the
 * chart's `useChartSummary` issues, with the `patient=` pin the Housecall proxy adds.
 * What it does not measure: Housecall's proxy hop and the browser (which allows six parallel
 * connections per host over HTTP/1.1, so seven requests there overlap slightly less).
 * Round trips are counted from the recorded timings with the chart's own `statsOf`.
 * A benchmark, not a test: it prints a table and asserts nothing.
 */
import { readFileSync } from 'node:fs';
import { BIG_PATIENT_ID, FIXTURE_PRACTITIONERS } from '../fixtures';
import { summaryRequestPaths } from '../lib/fhir/compose/sections';
import { statsOf } from '../components/fhir/request-log';
import type { RunningSandbox } from '../sandbox/main';
import { scriptedLaunch, startBenchSandbox } from './sandbox-token';

/** `BENCH_QUICK=1` (CI): one latency and one run per mode, to prove the benchmark still works. */
const QUICK = process.env.BENCH_QUICK === '1';
const LATENCIES_MS = QUICK ? [0] : [0, 50, 150];
const RUNS = QUICK ? 1 : 7;
const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;

/** The chart's requests as the proxy forwards them: searches pinned to the launch patient. */
function chartRequests(fhirBase: string): string[] {
  return summaryRequestPaths(BIG_PATIENT_ID).map((path) => {
    const url = new URL(`${fhirBase}/${path}`);
    if (!path.startsWith('Patient/')) url.searchParams.set('patient', `Patient/${BIG_PATIENT_ID}`);
    return url.toString();
  });
}

interface Timed {
  start: number;
  end: number;
  bytes: number;
}

async function fetchOne(url: string, token: string, t0: number): Promise<Timed> {
  const start = performance.now() - t0;
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} for ${url}`);
  JSON.parse(text);
  return { start, end: performance.now() - t0, bytes: text.length };
}

async function wave(urls: string[], token: string): Promise<{ ms: number; timings: Timed[] }> {
  const t0 = performance.now();
  const timings = await Promise.all(urls.map((u) => fetchOne(u, token, t0)));
  return { ms: performance.now() - t0, timings };
}

async function oneAfterAnother(urls: string[], token: string): Promise<{ ms: number; timings: Timed[] }> {
  const t0 = performance.now();
  const timings: Timed[] = [];
  for (const u of urls) timings.push(await fetchOne(u, token, t0));
  return { ms: performance.now() - t0, timings };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function setLatency(sandbox: RunningSandbox, ms: number): Promise<void> {
  const res = await fetch(`${sandbox.origin}/_knobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fhirLatencyMs: ms }) });
  if (!res.ok) throw new Error(`knobs: ${res.status}`);
}

async function main(): Promise<void> {
  const sandbox = await startBenchSandbox();
  try {
    const token = await scriptedLaunch(sandbox, PRACTITIONER, BIG_PATIENT_ID);
    const urls = chartRequests(sandbox.fhirBase);
    await wave(urls, token); // warm-up: definitions, indexes, JIT
    const rows: string[][] = [];
    for (const latency of LATENCIES_MS) {
      await setLatency(sandbox, latency);
      const results: Record<'wave' | 'sequential', { ms: number[]; trips: number; bytes: number }> = { wave: { ms: [], trips: 0, bytes: 0 }, sequential: { ms: [], trips: 0, bytes: 0 } };
      for (let i = 0; i < RUNS; i++) {
        // Alternate the order so neither mode always runs on a warmer server.
        for (const mode of i % 2 ? (['sequential', 'wave'] as const) : (['wave', 'sequential'] as const)) {
          const r = mode === 'wave' ? await wave(urls, token) : await oneAfterAnother(urls, token);
          results[mode].ms.push(r.ms);
          results[mode].trips = statsOf(r.timings).roundTrips;
          results[mode].bytes = r.timings.reduce((n, t) => n + t.bytes, 0);
        }
      }
      const base = quantile(results.sequential.ms, 0.5);
      for (const mode of ['wave', 'sequential'] as const) {
        const med = quantile(results[mode].ms, 0.5);
        rows.push([`${latency}`, mode === 'wave' ? 'chart: one parallel wave' : 'baseline: one after another', String(urls.length), String(results[mode].trips), med.toFixed(0), quantile(results[mode].ms, 0.9).toFixed(0), `${(results[mode].bytes / 1024).toFixed(0)} KiB`, (med / base).toFixed(2)]);
      }
    }
    const header = ['latency ms', 'mode', 'requests', 'round trips', 'median ms', 'p90 ms', 'payload', 'time ÷ baseline'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(`\nChart summary for ${BIG_PATIENT_ID}, ${RUNS} runs per cell (median, p90), sandbox FHIR server in-process\n`);
    console.log(line(header));
    console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
    for (const r of rows) console.log(line(r));
    console.log(`\nRequests: ${urls.map((u) => new URL(u).pathname.split('/').pop()).join(', ')}`);
    console.log('The sandbox answers on one Node thread in this process: with no added latency its CPU work (sorting the');
    console.log('big patient\'s Observations) dominates and parallel requests queue behind one another; the wave pays off');
    console.log('as soon as the network, not the server, is the cost, and its round trips stay at one.');
  } finally {
    await sandbox.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
