/**
 * A small closed-loop HTTP load generator for the benchmarks: `connections` loops, each with its
 * own kept-alive socket, sending one request after another for a fixed time and recording every
 * latency. Node's own `http` client, so the generator costs the same for every target it is
 * pointed at; what it measures is throughput (requests per second) and latency quantiles.
 */
import http from 'node:http';

export interface LoadTarget {
  /** Absolute URLs; each loop cycles through them in order. */
  urls: string[];
  headers?: Record<string, string>;
}

export interface LoadResult {
  /** Requests answered after the warm-up. */
  requests: number;
  /** Requests answered in all, the warm-up's included. */
  total: number;
  /** Answers other than 2xx (a benchmark whose target refuses it measures nothing). */
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

function get(agent: http.Agent, url: URL, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: 'GET', headers }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `connections` loops against `target` for `seconds`; the first `warmupSeconds` are not recorded. */
export async function runLoad(target: LoadTarget, connections: number, seconds: number, warmupSeconds = 0): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const urls = target.urls.map((u) => new URL(u));
  const headers = target.headers ?? {};
  const begin = performance.now();
  const recordFrom = begin + warmupSeconds * 1000;
  const end = recordFrom + seconds * 1000;
  const latenciesMs: number[] = [];
  let requests = 0;
  let total = 0;
  let errors = 0;
  const loop = async (offset: number) => {
    for (let i = offset; performance.now() < end; i++) {
      const t0 = performance.now();
      const status = await get(agent, urls[i % urls.length]!, headers);
      const t1 = performance.now();
      total++;
      if (t0 < recordFrom) continue;
      requests++;
      latenciesMs.push(t1 - t0);
      if (status < 200 || status >= 300) errors++;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, c) => loop(c)));
  const seconds_ = (performance.now() - recordFrom) / 1000;
  agent.destroy();
  return { requests, total, errors, seconds: seconds_, latenciesMs };
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Prints a Markdown table with padded columns. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}
