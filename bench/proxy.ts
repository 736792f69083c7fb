/**
 * The FHIR proxy's cost: the same reads and searches of one patient sent straight to the sandbox
 * with a token of the launch's scopes, and through Housecall's proxy with the launch's cookie
 * (as served: Housecall's server answers it directly; and through the Next.js route, from a
 * second server with `HOUSECALL_FHIR_DIRECT=off` on the same store), beside Housecall's own
 * trivial route (`/.well-known/jwks.json`) as the floor of what any request through Next.js
 * costs, at 1 and 8 connections, all in one run.
 *
 *   npx tsx bench/proxy.ts        (or: npm run bench:proxy; BENCH_QUICK=1 for a few seconds)
 *
 * What it does: builds Housecall if the build is stale (scripts/next-build.ts), starts the
 * sandbox EHR and two production Housecall servers (server.ts, one with the direct path off) as
 * processes of their own on free ports, completes an EHR launch through Housecall with the scripted OAuth client (a clinician
 * and pat-001), and a second scripted launch with the same scopes whose token calls the sandbox
 * directly. Load comes from this process (bench/load.ts: closed loops on kept-alive sockets).
 * Housecall runs as deployed: SQLite store, audit on, `info` logs to a file, metrics on.
 * For profiling: `BENCH_CPU_PROF=dir` starts Housecall under `node --cpu-prof` and writes its
 * profile there when the run ends; `BENCH_TARGETS=proxy` (a comma list of floor, direct, proxy)
 * measures only those cells (floor, direct, proxy, via-next), and `BENCH_SECONDS` sets the seconds per cell.
 *
 * The machine is shared, so absolute numbers move from run to run; the ratios are taken within
 * one run. A benchmark, not a test: it prints a table and asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { HOUSECALL_SECRET, TestBrowser, ehrLaunch } from '../sandbox/auth/scripted-client';
import { localEnv } from '../scripts/env';
import { ensureBuild } from '../scripts/next-build';
import { printTable, quantile, runLoad, type LoadResult, type LoadTarget } from './load';
import { remoteSandbox, scriptedLaunch } from './sandbox-token';
import { housecallServerArgs } from '../scripts/server-command';

const QUICK = process.env.BENCH_QUICK === '1';
/** Seconds recorded per cell, after a warm-up; the full run measures each cell twice, in alternating order. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 5));
const TARGETS = (process.env.BENCH_TARGETS ?? 'floor,direct,proxy,via-next').split(',');
const WARMUP = QUICK ? 0.5 : 1;
const ROUNDS = QUICK ? 1 : 2;
const CONNECTIONS = [1, 8];
const PATIENT = FIXTURE_PATIENTS[0]!.id;
const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;
const LOG = '.data/bench-proxy-server.log';
const DB = '.data/bench-proxy.sqlite';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, label: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${label} did not start within ${timeoutMs / 1000} s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Completes an EHR launch through Housecall: the launch id and the browser's cookie for it. */
async function housecallLaunch(sandboxOrigin: string, housecallUrl: string): Promise<{ launchId: string; cookie: string }> {
  const browser = new TestBrowser();
  const { frameSrc } = await ehrLaunch({ origin: sandboxOrigin }, browser, PRACTITIONER, PATIENT);
  const { url } = await browser.follow(frameSrc, `${housecallUrl}/l/`);
  const launchId = /^\/l\/([^/]+)\//.exec(url.pathname)?.[1];
  if (!launchId) throw new Error(`launch through Housecall did not reach the chart (${url.pathname})`);
  return { launchId, cookie: browser.cookieHeader(new URL(`${housecallUrl}/api/l/${launchId}/fhir/metadata`)) };
}

interface Cell {
  target: 'floor' | 'direct' | 'proxy' | 'via-next';
  request: 'read' | 'search' | 'trivial';
  connections: number;
  load: LoadTarget;
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); null elsewhere.
 * Per request, it is what the machine's other load does not change much: on a busy machine
 * throughput and latency say how much CPU a process was given, CPU per request what it needed.
 */
function cpuMs(pid: number | undefined): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** USER_HZ: the unit of /proc/{pid}/stat times (100 on Linux for every common architecture). */
const CLOCK_TICKS = 100;

interface Measured {
  /** CPU ms Housecall and the sandbox used during the recorded seconds. */
  housecallCpu: number;
  sandboxCpu: number;
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

const add = (a: Measured, b: LoadResult & { housecallCpu: number; sandboxCpu: number }): Measured => ({
  housecallCpu: a.housecallCpu + b.housecallCpu, sandboxCpu: a.sandboxCpu + b.sandboxCpu,
  requests: a.requests + b.requests, errors: a.errors + b.errors, seconds: a.seconds + b.seconds, latenciesMs: a.latenciesMs.concat(b.latenciesMs),
});

async function main(): Promise<void> {
  const [sandboxPort, housecallPort, viaNextPort] = [await freePort(), await freePort(), await freePort()];
  const sandboxOrigin = `http://127.0.0.1:${sandboxPort}`;
  const housecallUrl = `http://localhost:${housecallPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...localEnv({
      SANDBOX_ORIGIN: sandboxOrigin,
      HOUSECALL_URL: housecallUrl,
      // Basic client authentication, so this process can make the direct launch with the secret;
      // how the client authenticates costs nothing per proxied request.
      HOUSECALL_SANDBOX_CLIENT_AUTH: 'client_secret_basic',
      HOUSECALL_SANDBOX_CLIENT_SECRET: HOUSECALL_SECRET,
      HOUSECALL_DB: DB,
      HOUSECALL_STORE_KEY: randomBytes(32).toString('base64'),
      // Both servers open the one launch's cookie.
      HOUSECALL_COOKIE_SECRET: randomBytes(32).toString('base64url'),
      HOUSECALL_ENV: 'test',
      LOG_LEVEL: 'info',
    }),
  };
  const built = ensureBuild(env);
  if (built !== 0) throw new Error(`next build failed (${built})`);
  fs.mkdirSync('.data', { recursive: true });
  for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) fs.rmSync(f, { force: true });

  const children: ChildProcess[] = [];
  const sandbox = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  children.push(sandbox);
  const log = fs.openSync(LOG, 'w');
  const profDir = process.env.BENCH_CPU_PROF;
  const nodeFlags = profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const housecall = spawn(process.execPath, housecallServerArgs(housecallPort, { nodeFlags }), { stdio: ['ignore', log, log], env });
  children.push(housecall);
  // The same proxy through Next.js's route: a second server on the same store and secrets.
  const viaNext = spawn(process.execPath, housecallServerArgs(viaNextPort), { stdio: ['ignore', log, log], env: { ...env, HOUSECALL_FHIR_DIRECT: 'off' } });
  children.push(viaNext);
  try {
    await waitFor(`${sandboxOrigin}/health`, 'the sandbox', sandbox);
    await waitFor(`${housecallUrl}/.well-known/jwks.json`, 'Housecall', housecall);
    await waitFor(`http://localhost:${viaNextPort}/.well-known/jwks.json`, 'Housecall (direct path off)', viaNext);

    const { launchId, cookie } = await housecallLaunch(sandboxOrigin, housecallUrl);
    const token = await scriptedLaunch(await remoteSandbox(sandboxOrigin), PRACTITIONER, PATIENT, `${housecallUrl}/redirect`);

    const fhirBase = `${sandboxOrigin}/fhir`;
    const proxyBase = `${housecallUrl}/api/l/${launchId}/fhir`;
    const accept = { accept: 'application/fhir+json' };
    // The direct search is what the proxy sends the EHR for `Condition` (pinned to the launch's patient).
    const requests = { read: `Patient/${PATIENT}`, search: `Condition?patient=Patient%2F${PATIENT}` } as const;
    const proxied = { read: `Patient/${PATIENT}`, search: 'Condition' } as const;
    const cells: Cell[] = [];
    for (const connections of CONNECTIONS) {
      cells.push({ target: 'floor', request: 'trivial', connections, load: { urls: [`${housecallUrl}/.well-known/jwks.json`] } });
      for (const request of ['read', 'search'] as const) {
        cells.push({ target: 'direct', request, connections, load: { urls: [`${fhirBase}/${requests[request]}`], headers: { ...accept, authorization: `Bearer ${token}` } } });
        cells.push({ target: 'proxy', request, connections, load: { urls: [`${proxyBase}/${proxied[request]}`], headers: { ...accept, cookie } } });
        cells.push({ target: 'via-next', request, connections, load: { urls: [`http://localhost:${viaNextPort}/api/l/${launchId}/fhir/${proxied[request]}`], headers: { ...accept, cookie } } });
      }
    }
    // Every target answers before anything is timed (a refused launch would measure error pages).
    for (const cell of cells.filter((c) => c.connections === 1)) {
      const probe = await runLoad(cell.load, 1, 0.2);
      if (probe.errors > 0 || probe.requests === 0) throw new Error(`${cell.target} ${cell.request} does not answer 2xx`);
    }

    cells.splice(0, cells.length, ...cells.filter((c) => TARGETS.includes(c.target)));
    const results = new Map<Cell, Measured>(cells.map((c) => [c, { housecallCpu: 0, sandboxCpu: 0, requests: 0, errors: 0, seconds: 0, latenciesMs: [] }]));
    // CPU is read around the whole run of a cell, warm-up included, and divided by every request
    // answered in it: the warm-up's requests are counted from the load's own total.
    const measure = async (cell: Cell) => {
      const server = cell.target === 'via-next' ? viaNext : housecall;
      const [h0, s0] = [cpuMs(server.pid), cpuMs(sandbox.pid)];
      const load = await runLoad(cell.load, cell.connections, SECONDS, WARMUP);
      const [h1, s1] = [cpuMs(server.pid), cpuMs(sandbox.pid)];
      const perRequest = (a: number | null, b: number | null) => (a === null || b === null ? NaN : ((b - a) * load.requests) / load.total);
      return { ...load, housecallCpu: perRequest(h0, h1), sandboxCpu: perRequest(s0, s1) };
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order, so no target always runs on the warmest (or busiest) moment.
      for (const cell of round % 2 ? [...cells].reverse() : cells) {
        results.set(cell, add(results.get(cell)!, await measure(cell)));
      }
    }

    const rps = (m: Measured) => m.requests / m.seconds;
    const find = (target: Cell['target'], request: Cell['request'], connections: number) => results.get(cells.find((c) => c.target === target && c.request === request && c.connections === connections)!) ?? { housecallCpu: NaN, sandboxCpu: NaN, requests: NaN, errors: 0, seconds: 1, latenciesMs: [] };
    const rows: string[][] = [];
    for (const cell of cells) {
      const m = results.get(cell)!;
      const floor = find('floor', 'trivial', cell.connections);
      const direct = cell.target === 'proxy' || cell.target === 'via-next' ? find('direct', cell.request, cell.connections) : undefined;
      rows.push([
        String(cell.connections),
        cell.target === 'floor' ? 'floor: Housecall /.well-known/jwks.json' : cell.target === 'direct' ? `sandbox direct, token: ${cell.request}` : cell.target === 'proxy' ? `proxy, cookie: ${cell.request}` : `proxy via Next.js route: ${cell.request}`,
        rps(m).toFixed(0),
        quantile(m.latenciesMs, 0.5).toFixed(2),
        quantile(m.latenciesMs, 0.99).toFixed(2),
        String(m.errors),
        (m.housecallCpu / m.requests).toFixed(2),
        (m.sandboxCpu / m.requests).toFixed(2),
        cell.target === 'floor' ? '1.00' : (rps(m) / rps(floor)).toFixed(2),
        direct ? `+${(quantile(m.latenciesMs, 0.5) - quantile(direct.latenciesMs, 0.5)).toFixed(2)}` : '',
      ]);
    }
    const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    console.log(`\nFHIR proxy (served directly, and through the Next.js route) against the sandbox direct and Housecall's floor route; one fixture patient (Patient read, Condition search), ${ROUNDS}×${SECONDS} s per cell; ${os.cpus().length} CPUs, load average ${load}\n`);
    printTable(['conns', 'target', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'Housecall CPU ms/req', 'sandbox CPU ms/req', 'req/s ÷ floor', 'p50 added vs direct ms'], rows);
    const summary = (c: number) => ['read', 'search'].map((r) => `${r} ${(rps(find('proxy', r as 'read', c)) / rps(find('floor', 'trivial', c))).toFixed(2)}×`).join(', ');
    console.log(`\nproxy ÷ floor at 8 connections: ${summary(8)} (goal ≥ 0.5×); at 1 connection: ${summary(1)}`);
    const cpu = (t: Cell['target'], r: Cell['request'], c: number) => find(t, r, c).housecallCpu / find(t, r, c).requests;
    console.log(`Housecall CPU per request ÷ the floor's, at 8 connections: ${['read', 'search'].map((r) => `${r} ${(cpu('proxy', r as 'read', 8) / cpu('floor', 'trivial', 8)).toFixed(2)}×`).join(', ')} (what throughput ÷ floor tends to on an otherwise idle machine: its inverse)`);
    const added = (t: Cell['target']) => ['read', 'search'].map((r) => `${r} ${(quantile(find(t, r as 'read', 1).latenciesMs, 0.5) - quantile(find('direct', r as 'read', 1).latenciesMs, 0.5)).toFixed(2)} ms`).join(', ');
    console.log(`p50 added by the proxy at 1 connection: ${added('proxy')} (goal ≤ 2 ms); through the Next.js route: ${added('via-next')}`);
  } finally {
    for (const c of children) await stopChild(c);
    fs.closeSync(log);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
