/**
 * The processes bench/scale.ts runs: the sandbox EHR, built Housecall instances (server.ts)
 * on one PostgreSQL database, and a loopback load balancer (http-proxy-3) spreading requests
 * over them round robin; plus the readings taken from them (CPU time, Prometheus metrics).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { createProxyServer } from 'http-proxy-3';
import { Pool } from 'pg';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Child {
  name: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a Node process and waits until `readyUrl` answers (any status below 500). */
export async function startChild(name: string, args: string[], env: Record<string, string>, readyUrl: string, timeoutMs = 120_000): Promise<Child> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}) before it was ready:\n${stderr}`);
    try {
      const res = await fetch(readyUrl);
      await res.arrayBuffer();
      if (res.status < 500) return { name, process: child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${stderr}`);
}

/** A fresh, empty database for the run (dropped first if a previous run left it). */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The load balancer: http-proxy-3 forwarding each request to the next target in turn, on the
 * loopback addresses only (IPv4 and IPv6, since `localhost` may resolve to either).
 */
export async function startBalancer(port: number): Promise<{ setTargets(targets: string[]): void; close(): Promise<void> }> {
  // A new loopback connection per request: reusing one the instance is just closing (Node's 5 s
  // keep-alive timeout) fails the request with ECONNRESET, a failure of the balancer, not Housecall.
  const proxy = createProxyServer({ xfwd: true, agent: new http.Agent({ keepAlive: false, maxSockets: 256 }) });
  let targets: string[] = [];
  let next = 0;
  proxy.on('error', (_error, _req, res) => {
    if (res instanceof http.ServerResponse && !res.headersSent) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('load balancer: target unreachable\n');
    }
  });
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const target = targets[next++ % targets.length]!;
    proxy.web(req, res, { target });
  };
  const servers = ['127.0.0.1', '::1'].map(() => http.createServer(handler));
  await Promise.all(servers.map((s, i) => new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, i === 0 ? '127.0.0.1' : '::1', resolve);
  })));
  return {
    setTargets(t) {
      targets = t;
    },
    close: async () => {
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
      proxy.close();
    },
  };
}

/** CPU seconds (user + system) a process and its descendants have used, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const ticks = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks });
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const queue = [pid];
  while (queue.length) {
    const p = queue.pop()!;
    total += stats.get(p)?.cpu ?? 0;
    for (const [child, s] of stats) if (s.ppid === p) queue.push(child);
  }
  return total;
}

/** Samples of the Prometheus text a Housecall instance serves at /api/metrics, by full sample name (labels dropped and summed). */
export async function scrape(origin: string): Promise<Map<string, number>> {
  const res = await fetch(`${origin}/api/metrics`);
  const text = await res.text();
  if (!res.ok) throw new Error(`metrics: ${res.status}`);
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(?:\{[^}]*\})? ([0-9.eE+-]+|NaN)$/.exec(line);
    if (m) samples.set(m[1]!, (samples.get(m[1]!) ?? 0) + Number(m[2]));
  }
  return samples;
}
