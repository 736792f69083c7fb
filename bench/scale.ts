/**
 * Several Housecall instances on one PostgreSQL database: throughput, latency, token refreshes
 * and the audit log under load, one instance against two, in the same process.
 *
 *   npm run build && npm run bench:scale        (BENCH_QUICK=1: 10 clients for 8 s per run)
 *
 * What it runs: the sandbox EHR (its own process) issuing access tokens that live 5 s (knob
 * `accessTokenTtlSeconds`), built Housecall instances (server.ts, each its own process) on a
 * fresh database `housecall_bench_scale` (BENCH_PG_URL: the server to create it on, default the
 * local trust-auth one), and a loopback load balancer (http-proxy-3, round robin) in front. Each
 * run makes its own EHR launches through the balancer, as a browser would (EHR page, Housecall's
 * launch, the sandbox's authorization, Housecall's callback), then its clients read for the run's
 * length: each client repeats one Condition search through Housecall's FHIR proxy, five clients
 * per launch, so every launch is read through every instance and its token expires under them.
 * The baseline is the same run with one instance behind the balancer.
 *
 * Reported per run: requests, failures (any answer but 200, or no answer), p50/p99, refreshes
 * (token requests the sandbox saw) against the token expiries the reads ran into, refresh
 * tokens presented after they were rotated (the sandbox counts them), the audit lock wait and
 * append time (Prometheus, scraped from each instance), the CPU each process used and each
 * instance's memory at start and end. A benchmark, not a test: it prints tables, asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { FIXTURE_PRACTITIONERS } from '../fixtures';
import type { RunningSandbox } from '../sandbox/main';
import { ehrLaunch, TestBrowser } from '../sandbox/auth/scripted-client';
import { cpuSeconds, freePort, freshDatabase, scrape, startBalancer, startChild, type Child } from './scale-fleet';
import { housecallServerArgs } from '../scripts/server-command';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENTS = QUICK ? 10 : 50;
const CLIENTS_PER_LAUNCH = 5;
const DURATION_MS = QUICK ? 8_000 : 60_000;
const TOKEN_TTL_S = 5;
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DATABASE = 'housecall_bench_scale';
const SECRET = 'bench-scale-sandbox-secret-not-for-production';
const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;
/** prom-client's default metric, under the prefix lib/telemetry gives it. */
const RSS = 'housecall_process_process_resident_memory_bytes';

interface Setup {
  sandboxOrigin: string;
  lbUrl: string;
  env: Record<string, string>;
}

interface Launch {
  id: string;
  patientId: string;
  browser: TestBrowser;
  launchedAt: number;
  /** When each measured read started (performance.now()). */
  reads: number[];
}

/** One EHR launch through the balancer, as the browser inside the EHR would make it. */
async function launchThrough(setup: Setup, patientId: string): Promise<Launch> {
  const browser = new TestBrowser();
  const { frameSrc } = await ehrLaunch({ origin: setup.sandboxOrigin } as RunningSandbox, browser, PRACTITIONER, patientId);
  const { url, response } = await browser.follow(frameSrc, `${setup.lbUrl}/l/`);
  const id = /^\/l\/([^/]+)\//.exec(url.pathname)?.[1];
  if (!id) throw new Error(`the launch did not reach the app: ${response?.status ?? ''} at ${url.pathname}`);
  return { id, patientId, browser, launchedAt: performance.now(), reads: [] };
}

async function sandboxCall(setup: Setup, path: string, init?: RequestInit): Promise<Record<string, unknown>> {
  const res = await fetch(`${setup.sandboxOrigin}${path}`, init);
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

interface RunResult {
  instances: number;
  requests: number;
  failed: number;
  failures: Map<string, number>;
  latencies: number[];
  seconds: number;
  refreshes: number;
  expiriesMet: number;
  reuse: number;
  lockWaitSeconds: number;
  appends: number;
  appendSeconds: number;
  cpu: { instances: number[]; sandbox: number; bench: number };
  rss: { start: number; end: number }[];
}

/**
 * The token expiries a launch's reads ran into: walking its reads in order, each one that starts
 * when the token in force is within the app's refresh margin of its end (a tenth of its lifetime)
 * needs a new token, which then lasts a lifetime from there. One refresh each is the goal; a
 * lifetime that ended while nobody read is not counted (nothing needed a token then).
 */
function expiriesMet(launch: Launch): number {
  const ttl = TOKEN_TTL_S * 1000;
  let expires = launch.launchedAt + ttl;
  let met = 0;
  for (const t of [...launch.reads].sort((a, b) => a - b)) {
    if (t >= expires - ttl / 10) {
      met++;
      expires = t + ttl;
    }
  }
  return met;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

async function run(setup: Setup, count: number, sandbox: Child): Promise<RunResult> {
  const instances: { child: Child; origin: string }[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      instances.push({ child: await startChild(`housecall ${i + 1}`, housecallServerArgs(port, { hostname: '127.0.0.1' }), setup.env, `${origin}/`), origin });
    }
    balancer.setTargets(instances.map((i) => i.origin));
    await sandboxCall(setup, '/_knobs', { method: 'DELETE' });
    await sandboxCall(setup, '/_knobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accessTokenTtlSeconds: TOKEN_TTL_S }) });

    const launches: Launch[] = [];
    for (let i = 0; i < Math.ceil(CLIENTS / CLIENTS_PER_LAUNCH); i++) launches.push(await launchThrough(setup, `pat-${String((i % 20) + 1).padStart(3, '0')}`));
    const read = async (launch: Launch) => {
      const res = await launch.browser.request(`${setup.lbUrl}/api/l/${launch.id}/fhir/Condition?patient=${launch.patientId}`, { headers: { accept: 'application/fhir+json' } });
      if (res.status === 200) {
        await res.arrayBuffer();
        return 'ok';
      }
      // The OperationOutcome's stable code says which failure it was.
      const code = /"code":"([a-z0-9-]+)"/.exec(await res.text())?.[1];
      return `HTTP ${res.status}${code ? ` ${code}` : ''}`;
    };
    // Refreshes are counted from here, and the warm-up's reads count towards the expiries met.
    const statsBefore = await sandboxCall(setup, '/_knobs/stats');
    for (const launch of launches) {
      for (let i = 0; i < 2 * count; i++) { // warm-up: every instance compiles its routes and reads its discovery
        launch.reads.push(performance.now());
        await read(launch);
      }
    }
    const before = await Promise.all(instances.map((i) => scrape(i.origin)));
    const cpuBefore = { instances: instances.map((i) => cpuSeconds(i.child.process.pid!)), sandbox: cpuSeconds(sandbox.process.pid!), bench: process.cpuUsage() };

    const latencies: number[] = [];
    const failures = new Map<string, number>();
    const started = performance.now();
    const deadline = started + DURATION_MS;
    await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
      const launch = launches[c % launches.length]!;
      while (performance.now() < deadline) {
        const t = performance.now();
        let outcome: string;
        try {
          outcome = await read(launch);
        } catch (error) {
          outcome = (error as Error).name;
        }
        latencies.push(performance.now() - t);
        launch.reads.push(t);
        if (outcome !== 'ok') failures.set(outcome, (failures.get(outcome) ?? 0) + 1);
      }
    }));
    const seconds = (performance.now() - started) / 1000;

    const cpuBench = process.cpuUsage(cpuBefore.bench);
    const cpu = { instances: instances.map((i, k) => cpuSeconds(i.child.process.pid!) - cpuBefore.instances[k]!), sandbox: cpuSeconds(sandbox.process.pid!) - cpuBefore.sandbox, bench: (cpuBench.user + cpuBench.system) / 1e6 };
    const after = await Promise.all(instances.map((i) => scrape(i.origin)));
    const stats = await sandboxCall(setup, '/_knobs/stats');
    const delta = (name: string) => after.reduce((n, m, k) => n + (m.get(name) ?? 0) - (before[k]!.get(name) ?? 0), 0);
    const refreshCount = (s: Record<string, unknown>) => (s.tokenRequests as Record<string, number>).refresh_token ?? 0;
    return {
      instances: count,
      requests: latencies.length,
      failed: [...failures.values()].reduce((a, b) => a + b, 0),
      failures,
      latencies: latencies.sort((a, b) => a - b),
      seconds,
      refreshes: refreshCount(stats) - refreshCount(statsBefore),
      expiriesMet: launches.reduce((n, l) => n + expiriesMet(l), 0),
      reuse: Number(stats.rotatedRefreshTokenReuse ?? 0),
      lockWaitSeconds: delta('housecall_audit_lock_wait_seconds_sum'),
      appends: delta('housecall_audit_append_seconds_count'),
      appendSeconds: delta('housecall_audit_append_seconds_sum'),
      cpu,
      rss: instances.map((_, k) => ({ start: before[k]!.get(RSS) ?? NaN, end: after[k]!.get(RSS) ?? NaN })),
    };
  } finally {
    for (const i of instances) await i.child.stop();
  }
}

let balancer: Awaited<ReturnType<typeof startBalancer>>;

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function main(): Promise<void> {
  if (!existsSync('.next/BUILD_ID')) throw new Error('no Housecall build: run `npm run build` first (the benchmark starts server.ts)');
  const [sbPort, lbPort] = await Promise.all([freePort(), freePort()]);
  const sandboxOrigin = `http://127.0.0.1:${sbPort}`;
  const lbUrl = `http://localhost:${lbPort}`;
  const databaseUrl = await freshDatabase(PG_ADMIN_URL, DATABASE);
  const setup: Setup = {
    sandboxOrigin, lbUrl,
    env: {
      NODE_ENV: 'production', HOUSECALL_ENV: 'test', HOUSECALL_URL: lbUrl, SANDBOX_ORIGIN: sandboxOrigin, HOUSECALL_ALLOW_INSECURE_ISSUERS: '1',
      HOUSECALL_SANDBOX_CLIENT_SECRET: SECRET, HOUSECALL_SANDBOX_CLIENT_AUTH: 'client_secret_basic',
      HOUSECALL_DATABASE_URL: databaseUrl, HOUSECALL_STORE_KEY: randomBytes(32).toString('base64'), HOUSECALL_COOKIE_SECRET: randomBytes(32).toString('base64url'), LOG_LEVEL: 'warn',
    },
  };
  balancer = await startBalancer(lbPort);
  const sandbox = await startChild('sandbox', ['--import', 'tsx', 'sandbox/main.ts'], { SANDBOX_ORIGIN: sandboxOrigin, HOUSECALL_URL: lbUrl, HOUSECALL_SANDBOX_CLIENT_SECRET: SECRET, HOUSECALL_SANDBOX_CLIENT_AUTH: 'client_secret_basic' }, `${sandboxOrigin}/health`);
  const results: RunResult[] = [];
  try {
    for (const count of [1, 2]) results.push(await run(setup, count, sandbox));
  } finally {
    await sandbox.stop();
    await balancer.close();
  }

  const [one, two] = results as [RunResult, RunResult];
  const rate = (r: RunResult) => r.requests / r.seconds;
  console.log(`\nSeveral instances: ${CLIENTS} clients (${CLIENTS / CLIENTS_PER_LAUNCH} EHR launches, ${CLIENTS_PER_LAUNCH} clients each) reading Condition for ${DURATION_MS / 1000} s per run; access tokens live ${TOKEN_TTL_S} s\n`);
  table(
    ['instances', 'requests', 'req/s', 'failed', 'p50 ms', 'p99 ms', 'refreshes', 'token expiries met', 'refresh token reused', 'audit appends', 'audit lock wait', 'append→commit mean', 'CPU s: instances / sandbox / bench'],
    results.map((r) => [
      String(r.instances), String(r.requests), rate(r).toFixed(1), String(r.failed), quantile(r.latencies, 0.5).toFixed(1), quantile(r.latencies, 0.99).toFixed(1),
      String(r.refreshes), String(r.expiriesMet), String(r.reuse), String(r.appends), `${(r.lockWaitSeconds * 1000).toFixed(1)} ms total`,
      `${r.appends ? ((r.appendSeconds / r.appends) * 1000).toFixed(2) : '-'} ms`, `${r.cpu.instances.map((c) => c.toFixed(1)).join(' + ')} / ${r.cpu.sandbox.toFixed(1)} / ${r.cpu.bench.toFixed(1)}`,
    ]),
  );
  console.log('');
  table(['instances', 'instance', 'RSS at start', 'RSS at end', 'CPU cores used'], results.flatMap((r) => r.rss.map((m, k) => [String(r.instances), String(k + 1), mib(m.start), mib(m.end), (r.cpu.instances[k]! / r.seconds).toFixed(2)])));
  for (const r of results) if (r.failures.size) console.log(`\nfailures with ${r.instances} instance(s): ${[...r.failures].map(([k, v]) => `${k} × ${v}`).join(', ')}`);
  const cores = os.availableParallelism();
  const busy = (r: RunResult) => (r.cpu.instances.reduce((a, b) => a + b, 0) + r.cpu.sandbox + r.cpu.bench) / r.seconds;
  console.log(`\ntwo instances ÷ one: ${(rate(two) / rate(one)).toFixed(2)}× the requests per second.`);
  console.log(`Cores: ${cores} on this machine, shared by the instances, the sandbox, PostgreSQL, this load generator and balancer`);
  console.log(`and anything else running; the processes measured kept ${busy(one).toFixed(2)} (one instance) and ${busy(two).toFixed(2)} (two) cores busy.`);
  console.log('Where those are all the cores there are, a second instance has none of its own to add: the ratio then says');
  console.log('what sharing costs, not what scale-out gives. The audit lock wait is the time appends waited for another');
  console.log('writer of their chain (each instance has its own chain: lib/store audit-store.ts).');
  const verify = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/audit-verify.ts'], { env: { ...process.env, ...setup.env, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
  console.log(`npm run audit:verify on the run's database: ${verify.stdout.split('\n')[0]}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
