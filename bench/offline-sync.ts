/**
 * Offline store and delta sync, for the big patient (pat-900, 5,586 resources), each beside a
 * baseline measured in the same process:
 *
 *   1. writing 1,000 resources into the encrypted store  vs  the same rows unencrypted in IndexedDB
 *   2. opening the chart's data from the cache (a new store instance reading every cached row of
 *      the summary's types)                              vs  the same read unencrypted
 *   3. a delta sync after 1 % of the synced resources changed, through the product's download
 *      (lib/sync downloadAll, strategies chosen per type from the sandbox's CapabilityStatement as
 *      the app does)                                     vs  a full refetch of the same types
 *
 *   npx tsx bench/offline-sync.ts        (or: npm run bench:offline; BENCH_QUICK=1 for one run)
 *
 * IndexedDB is fake-indexeddb in Node, so absolute times say little about a phone; the ratios
 * (encryption overhead, delta against full bytes and time) are the point. A benchmark, not a
 * test: it prints a table and asserts nothing.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import type { Resource } from '@medplum/fhirtypes';
import { BIG_PATIENT_ID, buildSeed, FIXTURE_PRACTITIONERS } from '../fixtures';
import { createOffline } from '../lib/offline';
import { syncCapabilities } from '../lib/fhir/capabilities';
import { chooseStrategy, createSyncStore, downloadAll, type Transport } from '../lib/sync';
import { syncTargets } from '../components/sync/sync-targets';
import { scriptedLaunch, startBenchSandbox } from './sandbox-token';

/** `BENCH_QUICK=1` (CI): one run of each, to prove the benchmark still works. */
const RUNS = process.env.BENCH_QUICK === '1' ? 1 : 5;
const SUMMARY_TYPES = ['AllergyIntolerance', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Observation'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

function plainDb(name: string) {
  const db = new Dexie(name);
  db.version(1).stores({ rows: 'key, type' });
  return db;
}

async function storeBenches(resources: Resource[]): Promise<string[][]> {
  const first = resources.slice(0, 1000);
  const writes: number[] = [];
  const plainWrites: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const offline = createOffline({ indexedDB: { indexedDB, IDBKeyRange } });
    const store = await offline.open({ issuer: `bench-${i}`, fhirUser: 'Practitioner/p', patient: BIG_PATIENT_ID });
    writes.push(await time(() => store.write({ put: first.map((r) => ({ cls: 'clinical' as const, type: r.resourceType, id: r.id!, version: r.meta?.versionId, value: r })) })));
    const plain = plainDb(`plain-${i}`);
    plainWrites.push(await time(() => plain.table('rows').bulkPut(first.map((r) => ({ key: `${r.resourceType}/${r.id}`, type: r.resourceType, value: r })))));
  }

  const all = resources.filter((r) => SUMMARY_TYPES.includes(r.resourceType));
  const seedOffline = createOffline({ indexedDB: { indexedDB, IDBKeyRange } });
  const owner = { issuer: 'bench-open', fhirUser: 'Practitioner/p', patient: BIG_PATIENT_ID };
  await (await seedOffline.open(owner)).write({ put: all.map((r) => ({ cls: 'clinical' as const, type: r.resourceType, id: r.id!, value: r })) });
  const plain = plainDb('plain-open');
  await plain.table('rows').bulkPut(all.map((r) => ({ key: `${r.resourceType}/${r.id}`, type: r.resourceType, value: r })));
  const opens: number[] = [];
  const plainOpens: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    opens.push(await time(async () => {
      const store = await createOffline({ indexedDB: { indexedDB, IDBKeyRange } }).open(owner);
      rows = 0;
      for (const type of SUMMARY_TYPES) rows += (await store.list({ type })).length;
    }));
    plainOpens.push(await time(async () => {
      for (const type of SUMMARY_TYPES) await plain.table('rows').where('type').equals(type).toArray();
    }));
  }
  const w = median(writes), pw = median(plainWrites), o = median(opens), po = median(plainOpens);
  return [
    ['write 1,000 resources', `${w.toFixed(0)} ms`, `${pw.toFixed(0)} ms (unencrypted)`, (w / pw).toFixed(2)],
    [`open chart data from cache (${rows} rows)`, `${o.toFixed(0)} ms`, `${po.toFixed(0)} ms (unencrypted)`, (o / po).toFixed(2)],
  ];
}

/** A sync Transport straight to the sandbox's FHIR base with a bearer token, counting the bytes of every answer. */
function benchTransport(base: string, token: string): { transport: Transport; bytes: () => number; reset: () => void } {
  let bytes = 0;
  const transport: Transport = async (request) => {
    const url = /^https?:/.test(request.url) ? request.url : `${base}/${request.url}`;
    const res = await fetch(url, { method: request.method, headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
    const text = await res.text();
    bytes += Buffer.byteLength(text);
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { status: res.status, headers, body: text ? JSON.parse(text) : undefined };
  };
  return { transport, bytes: () => bytes, reset: () => void (bytes = 0) };
}

/**
 * The product's download (lib/sync downloadAll over the encrypted store) of the big patient's
 * record, with the strategies the app chooses from the sandbox's CapabilityStatement: the time
 * and bytes of a delta after 1 % of the resources changed, beside a full refetch of the same
 * types in the same state.
 */
async function syncBench(): Promise<string[][]> {
  const sandbox = await startBenchSandbox();
  try {
    const token = await scriptedLaunch(sandbox, FIXTURE_PRACTITIONERS[0]!.id, BIG_PATIENT_ID);
    const net = benchTransport(sandbox.fhirBase, token);
    const capability = syncCapabilities((await net.transport({ method: 'GET', url: 'metadata' })).body);
    const targets = syncTargets(BIG_PATIENT_ID, 'patient', capability);
    const strategies = targets.map((t) => `${t.resourceType} ${chooseStrategy(capability, t)}`);
    const offline = createOffline({ indexedDB: { indexedDB, IDBKeyRange } });
    const store = createSyncStore(await offline.open({ issuer: 'bench-sync', fhirUser: 'Practitioner/p', patient: BIG_PATIENT_ID }));
    // The sandbox seeded every resource seconds ago, so the app's 5-minute overlap window would
    // bring all of them back; a real chart's records are older than that. A 1-second overlap
    // measures what the window costs on a real chart: the changes, plus those of the last minutes.
    const deps = { transport: net.transport, store, capability, pageSize: 200, overlapMs: 1_000 };
    const check = (reports: { key: string; status: string }[]) => {
      const bad = reports.filter((r) => r.status !== 'done');
      if (bad.length) throw new Error(`download did not finish: ${bad.map((r) => `${r.key} ${r.status}`).join(', ')}`);
    };
    // The first run's cursor is its start in server time, less the overlap: begin it well after the
    // seed's last write, or the first delta brings back the end of the seed as if it had changed.
    await new Promise((r) => setTimeout(r, 2 * deps.overlapMs));
    check(await downloadAll(targets, deps)); // the first run: everything, as a device's first sync
    await new Promise((r) => setTimeout(r, 1_500)); // past the overlap window, as time passes between syncs

    const big = buildSeed().patients.find((p) => p.patient.id === BIG_PATIENT_ID)!;
    const synced = new Set(targets.map((t) => t.resourceType));
    const candidates = big.resources.filter((r) => synced.has(r.resourceType));
    const changedPerRun = Math.max(1, Math.round(candidates.length / 100));
    const deltaRuns: { ms: number; bytes: number; upserts: number }[] = [];
    const fullRuns: { ms: number; bytes: number; upserts: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // 1 % of the synced resources change behind the client's back (a different 1 % each run).
      for (let k = 0; k < changedPerRun; k++) {
        const r = candidates[(k * 100 + i * 7) % candidates.length]!;
        const res = await fetch(`${sandbox.origin}/_fhir-edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceType: r.resourceType, id: r.id, set: { meta: { tag: [{ system: 'urn:bench', code: `run-${i}` }] } } }) });
        if (!res.ok) throw new Error(`edit failed: ${res.status}`);
      }
      net.reset();
      let reports: Awaited<ReturnType<typeof downloadAll>> = [];
      const ms = await time(async () => { reports = await downloadAll(targets, deps); });
      check(reports);
      deltaRuns.push({ ms, bytes: net.bytes(), upserts: reports.reduce((n, r) => n + r.upserts, 0) });

      // Baseline: the same targets refetched whole (what the app did before, per type), into a fresh store.
      const fresh = createSyncStore(await offline.open({ issuer: `bench-full-${i}`, fhirUser: 'Practitioner/p', patient: BIG_PATIENT_ID }));
      net.reset();
      const fullMs = await time(async () => { reports = await downloadAll(targets.map((t) => ({ ...t, prefer: 'full' as const })), { ...deps, store: fresh }); });
      check(reports);
      fullRuns.push({ ms: fullMs, bytes: net.bytes(), upserts: reports.reduce((n, r) => n + r.upserts, 0) });
    }
    const d = { ms: median(deltaRuns.map((r) => r.ms)), bytes: median(deltaRuns.map((r) => r.bytes)), upserts: median(deltaRuns.map((r) => r.upserts)) };
    const f = { ms: median(fullRuns.map((r) => r.ms)), bytes: median(fullRuns.map((r) => r.bytes)), upserts: median(fullRuns.map((r) => r.upserts)) };
    process.stdout.write(`strategies from the sandbox's CapabilityStatement: ${strategies.join(', ')}\n`);
    return [
      [
        `delta sync after 1 % changed (${changedPerRun} of ${candidates.length}; ${d.upserts} stored vs ${f.upserts})`,
        `${(d.bytes / 1024).toFixed(0)} KiB, ${d.ms.toFixed(0)} ms`,
        `${(f.bytes / 1024).toFixed(0)} KiB, ${f.ms.toFixed(0)} ms (full refetch)`,
        `${(d.bytes / f.bytes).toFixed(3)} bytes, ${(d.ms / f.ms).toFixed(2)} time`,
      ],
    ];
  } finally {
    await sandbox.close();
  }
}

async function main(): Promise<void> {
  const seed = buildSeed();
  const big = seed.patients.find((p) => p.patient.id === BIG_PATIENT_ID)!;
  const rows = [...(await storeBenches([big.patient, ...big.resources])), ...(await syncBench())];
  const header = ['measure', 'Housecall', 'baseline (same process)', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}\n`);
}

void main();
