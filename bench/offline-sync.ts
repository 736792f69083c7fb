/**
 * Offline store and delta sync, for the big patient (pat-900, 5,586 resources), each beside a
 * baseline measured in the same process:
 *
 *   1. writing 1,000 resources into the encrypted store  vs  the same rows unencrypted in IndexedDB
 *   2. opening the chart's data from the cache (a new store instance reading every cached row of
 *      the summary's types)                              vs  the same read unencrypted
 *   3. a delta sync after 1 % of the resources changed (type-level `_history?_since`)
 *                                                       vs  a full refetch of the same types
 *
 *   npx tsx bench/offline-sync.ts        (or: npm run bench:offline)
 *
 * IndexedDB is fake-indexeddb in Node, so absolute times say little about a phone; the ratios
 * (encryption overhead, delta against full bytes and time) are the point. A benchmark, not a
 * test: it prints a table and asserts nothing.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { BIG_PATIENT_ID, buildSeed, FIXTURE_PRACTITIONERS } from '../fixtures';
import { createOffline } from '../lib/offline';
import { scriptedLaunch, startBenchSandbox } from './sandbox-token';

const RUNS = 5;
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

async function pages(url: string, token: string): Promise<{ bytes: number; entries: number }> {
  let bytes = 0;
  let entries = 0;
  let next: string | undefined = url;
  while (next) {
    const res: Response = await fetch(next, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
    const text = await res.text();
    bytes += Buffer.byteLength(text);
    const bundle = JSON.parse(text) as Bundle;
    entries += bundle.entry?.length ?? 0;
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { bytes, entries };
}

async function syncBench(): Promise<string[][]> {
  const sandbox = await startBenchSandbox();
  try {
    const token = await scriptedLaunch(sandbox, FIXTURE_PRACTITIONERS[0]!.id, BIG_PATIENT_ID);
    const base = sandbox.fhirBase;
    const full = (type: string) => `${base}/${type}?patient=Patient/${BIG_PATIENT_ID}&_count=200`;
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    // Change 1 % of the big patient's Observations behind the client's back.
    const obs = buildSeed().patients.find((p) => p.patient.id === BIG_PATIENT_ID)!.resources.filter((r) => r.resourceType === 'Observation');
    const changed = obs.filter((_, i) => i % 100 === 0);
    for (const o of changed) {
      const res = await fetch(`${sandbox.origin}/_fhir-edit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceType: 'Observation', id: o.id, set: { status: 'amended' } }) });
      if (!res.ok) throw new Error(`edit failed: ${res.status}`);
    }
    const fullTimes: number[] = [];
    const deltaTimes: number[] = [];
    let fullResult = { bytes: 0, entries: 0 };
    let deltaResult = { bytes: 0, entries: 0 };
    for (let i = 0; i < RUNS; i++) {
      fullTimes.push(await time(async () => { fullResult = await pages(full('Observation'), token); }));
      deltaTimes.push(await time(async () => { deltaResult = await pages(`${base}/Observation/_history?_since=${encodeURIComponent(since)}&_count=200`, token); }));
    }
    const f = median(fullTimes), d = median(deltaTimes);
    return [
      [`delta sync after 1 % changed (${deltaResult.entries} of ${fullResult.entries} Observations)`, `${(deltaResult.bytes / 1024).toFixed(0)} KiB, ${d.toFixed(0)} ms`, `${(fullResult.bytes / 1024).toFixed(0)} KiB, ${f.toFixed(0)} ms (full refetch)`, `${(deltaResult.bytes / fullResult.bytes).toFixed(3)} bytes, ${(d / f).toFixed(2)} time`],
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
