/**
 * What a person waits for on a phone: from the patient approving access at the EHR to the first
 * condition on the portal's screen, and from the clinician pressing launch in the EHR to the first
 * problem in the chart inside its frame; on a first visit (empty browser) and a second (same
 * browser: HTTP cache and service worker warm, a new launch). Measured in Chromium with its
 * network and CPU emulation (Slow 4G: 150 ms round trip, 1.6 Mbps down, 750 kbps up; CPU 4x
 * slower) against the same steps unthrottled in the same run, the baseline.
 *
 *   npx tsx bench/phone.ts        (needs `next build` first; BENCH_QUICK=1: one run per cell;
 *                                  BENCH_TRACE=1: each visit's documents, their timing and size)
 *
 * Starts the sandbox in this process and the built Housecall (server.ts) beside it, each on a
 * free port (or on the ports of HOUSECALL_URL and SANDBOX_ORIGIN when set, as for the e2e tests), and drives Debian's Chromium (CHROMIUM_PATH to override) with Playwright.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { startSandbox, type RunningSandbox } from '../sandbox/main';
import { E2E_STORE_KEY, localEnv, portOf } from '../scripts/env';
import { firstEntryTiming, SUMMARY_INTERACTIVE_MARK } from '../lib/perf-marks';
import { housecallServerArgs } from '../scripts/server-command';
import { housecallShare, type DocumentLoad } from '../scripts/phone-timeline';

const QUICK = process.env.BENCH_QUICK === '1';
const TRACE = process.env.BENCH_TRACE === '1';
const RUNS = QUICK ? 1 : 3;
const PATIENT = FIXTURE_PATIENTS[0]!.id;
const PRACTITIONER = FIXTURE_PRACTITIONERS[0]!.id;
/** Chromium's "Slow 4G" preset, in its own units (bytes per second). */
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };
const CPU_SLOWDOWN = 4;
/** The issue's goals on the emulated phone, first and second visit. */
const GOAL_MS = { first: 2_500, second: 1_200 };
const FIRST_CONDITION = '[data-testid="section-problems"] [data-testid="section-item"]';

type Surface = 'portal' | 'chart';
type Visit = 'first' | 'second';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForOk(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms} ms (is there a build? run \`next build\`)`);
}

/** The built Housecall, started as the e2e tests start it, talking to `sandbox`. */
async function startHousecall(port: number, sandbox: RunningSandbox, dataDir: string): Promise<ChildProcess> {
  const url = `http://localhost:${port}`;
  const env = {
    ...process.env,
    ...localEnv({ SANDBOX_ORIGIN: sandbox.origin, HOUSECALL_URL: url, HOUSECALL_DB: path.join(dataDir, 'housecall.db'), HOUSECALL_ENV: 'test', LOG_LEVEL: 'warn', HOUSECALL_DISCOVERY_CACHE_SECONDS: '0', HOUSECALL_STORE_KEY: E2E_STORE_KEY }),
  };
  const child = spawn(process.execPath, housecallServerArgs(port), { env, stdio: 'ignore' });
  await waitForOk(`${url}/`, 60_000);
  return child;
}

async function emulatePhone(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
}

/** Approve at the sandbox's consent screen → first condition on the portal. */
async function portalVisit(page: Page, sandbox: RunningSandbox): Promise<Timings> {
  await page.goto(`${sandbox.origin}/portal`);
  await page.getByTestId('portal-launch').click();
  const login = page.getByTestId('login-account');
  const approve = page.getByTestId('consent-approve');
  await login.or(approve).first().waitFor({ timeout: 60_000 });
  if (await login.isVisible()) {
    await login.selectOption(PATIENT);
    await page.getByTestId('login-continue').click();
  }
  await approve.waitFor({ timeout: 60_000 });
  const t0 = performance.now();
  await approve.click();
  await page.locator(FIRST_CONDITION).first().waitFor({ timeout: 60_000 });
  return timings(page.mainFrame(), t0);
}

/** Launch pressed in the sandbox's EHR page → first problem in the chart in its frame. */
async function chartVisit(page: Page, sandbox: RunningSandbox): Promise<Timings> {
  await page.goto(`${sandbox.origin}/ehr`);
  await page.getByTestId('ehr-practitioner').selectOption(PRACTITIONER);
  await page.getByTestId('ehr-patient').selectOption(PATIENT);
  const t0 = performance.now();
  await page.getByTestId('ehr-launch').click();
  await page.frameLocator('[data-testid="ehr-frame"]').locator(FIRST_CONDITION).first().waitFor({ timeout: 60_000 });
  const frame = page.frames().find((f) => f !== page.mainFrame() && new URL(f.url()).pathname.startsWith('/l/'));
  if (!frame) throw new Error('the chart\'s frame was not found');
  return timings(frame, t0);
}

/**
 * `BENCH_TRACE=1`: every document request of a visit (the EHR's pages and redirects, Housecall's
 * `/launch`, `/redirect` and the page), with when it started, its first and last byte and its
 * size on the wire: where a visit's time goes before the page arrives.
 */
function traceDocuments(page: Page): { stop(): Promise<DocumentLoad[]> } {
  const pending: Promise<DocumentLoad | undefined>[] = [];
  const record = (request: import('playwright-core').Request) => {
    if (request.resourceType() !== 'document') return;
    pending.push((async () => {
      const response = await request.response().catch(() => null);
      const sizes = await request.sizes().catch(() => undefined);
      const t = request.timing();
      const url = new URL(request.url());
      return { path: `${url.host}${url.pathname}`, status: response?.status() ?? 0, start: t.startTime, firstByte: t.responseStart, lastByte: t.responseEnd, bytes: sizes ? sizes.responseHeadersSize + sizes.responseBodySize : 0 };
    })());
  };
  page.on('requestfinished', record);
  return {
    async stop() {
      page.off('requestfinished', record);
      return (await Promise.all(pending)).filter((d): d is DocumentLoad => d !== undefined).sort((a, b) => a.start - b.start);
    },
  };
}

function printDocuments(label: string, documents: DocumentLoad[]): void {
  const t0 = documents[0]?.start ?? 0;
  console.log(`\n${label}: documents (ms from the first one's start)`);
  for (const d of documents) console.log(`  ${String(Math.round(d.start - t0)).padStart(6)}  first byte +${Math.round(d.firstByte).toString().padEnd(5)} last byte +${Math.round(d.lastByte).toString().padEnd(5)} ${String(d.bytes).padStart(7)} B  ${d.status} ${d.path}`);
}

/** Milliseconds from the person's action (t0, this process's clock) to each moment. */
interface Timings {
  /** The first problem painted, as Chromium's Element Timing recorded it: on screen. */
  painted: number;
  /**
   * The summary's scripts have run (its User Timing mark). Before that its links and sign-out
   * already work, as page loads and a form post (e2e/before-scripts.spec.ts); from here the page
   * navigates in place, keeps its data fresh and saves the device's copy.
   */
  interactive: number;
  /** The driver found the first problem: later than painted when the page's thread is busy, as the driver's check runs on it. */
  found: number;
  /** The person's action, ms since the epoch. */
  t0Epoch: number;
}


/**
 * Reads the page's own timeline in `frame` and puts it on this process's clock: both clocks are
 * the machine's, so an instant is its time origin (ms since the epoch) plus its offset.
 */
async function timings(frame: Frame, t0: number): Promise<Timings> {
  const found = performance.now() - t0;
  // A string, not a function: tsx would add its own helpers to a function's source, which the page lacks.
  const page = (await frame.evaluate(`new Promise((resolve) => {
    const mark = () => performance.getEntriesByName(${JSON.stringify(SUMMARY_INTERACTIVE_MARK)}, 'mark')[0]?.startTime ?? null;
    const done = (painted) => resolve({ origin: performance.timeOrigin, painted, interactive: mark() });
    const timer = setTimeout(() => done(null), 5000);
    new PerformanceObserver((list, observer) => {
      for (const e of list.getEntries()) {
        if (e.identifier !== ${JSON.stringify(firstEntryTiming('problems'))}) continue;
        observer.disconnect();
        clearTimeout(timer);
        // Wait for the mark too (at most 10 s): the driver can find the entry before the scripts have run.
        const painted = e.renderTime || e.loadTime || e.startTime;
        const until = performance.now() + 10000;
        const waitMark = () => (mark() !== null || performance.now() > until ? done(painted) : setTimeout(waitMark, 20));
        waitMark();
      }
    }).observe({ type: 'element', buffered: true });
  })`)) as { origin: number; painted: number | null; interactive: number | null };
  if (page.painted === null || page.interactive === null) throw new Error(`the page recorded no paint of its first problem, or no interactive mark: ${JSON.stringify(page)}`);
  if (TRACE) {
    // The page's own timeline (ms from its navigation): its answer, first paint, the entry's paint,
    // and every long animation frame (start+duration, of which blocked by scripts) before the scripts ran.
    console.log(`  page timeline (ms from its navigation): ${await frame.evaluate(`new Promise((resolve) => {
      const n = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      const frames = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) frames.push(Math.round(e.startTime) + '+' + Math.round(e.duration) + (e.blockingDuration ? ' (blocking ' + Math.round(e.blockingDuration) + ')' : '')); }).observe({ type: 'long-animation-frame', buffered: true });
      setTimeout(() => resolve('answer first byte ' + Math.round(n.responseStart) + ', last byte ' + Math.round(n.responseEnd) + ', DOM interactive ' + Math.round(n.domInteractive) + ', first paint ' + (fcp ? Math.round(fcp.startTime) : '-') + ', entry painted ' + Math.round(${JSON.stringify(page.painted)}) + ', scripts ran ' + Math.round(${JSON.stringify(page.interactive)}) + '; long frames: ' + frames.join(', ')), 50);
    })`)}`);
  }
  const t0Epoch = performance.timeOrigin + t0;
  const since = (offset: number) => page.origin + offset - t0Epoch;
  return { painted: since(page.painted), interactive: since(page.interactive), found, t0Epoch };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'housecall-bench-phone-'));
  const port = process.env.HOUSECALL_URL ? Number(portOf(process.env.HOUSECALL_URL)) : await freePort();
  const sandboxPort = process.env.SANDBOX_ORIGIN ? Number(portOf(process.env.SANDBOX_ORIGIN)) : 0;
  const sandbox = await startSandbox({ port: sandboxPort, host: '127.0.0.1', housecallUrl: `http://localhost:${port}`, env: localEnv() });
  const housecall = await startHousecall(port, sandbox, dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // One renderer for the EHR page and its frame, so the emulation covers the framed chart too.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process'],
  });
  const times: Record<string, Timings[]> = {};
  const shares: Record<string, number[]> = {};
  const housecallHost = `localhost:${port}`;
  try {
    for (let run = 0; run < RUNS; run++) {
      for (const phone of [true, false]) {
        for (const surface of ['portal', 'chart'] as Surface[]) {
          // A fresh browser profile per run: the first visit is a first visit.
          const context: BrowserContext = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
          const page = await context.newPage();
          if (phone) await emulatePhone(page);
          for (const visit of ['first', 'second'] as Visit[]) {
            const documents = traceDocuments(page);
            const t = surface === 'portal' ? await portalVisit(page, sandbox) : await chartVisit(page, sandbox);
            const cell = `${surface}|${visit}|${phone ? 'phone' : 'plain'}`;
            (times[cell] ??= []).push(t);
            const loaded = await documents.stop();
            (shares[cell] ??= []).push(housecallShare(loaded, housecallHost, t));
            if (TRACE) printDocuments(`${surface}, ${visit} visit, ${phone ? 'phone' : 'unthrottled'}`, loaded);
          }
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    housecall.kill();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const header = ['surface', 'visit', 'phone: on screen ms', 'phone: of it Housecall\'s ms', 'phone: scripts running ms', 'phone: driver found it ms', 'unthrottled: on screen ms', 'phone ÷ unthrottled', 'goal on the phone ms', 'runs'];
  const rows: string[][] = [];
  for (const surface of ['portal', 'chart'] as Surface[]) {
    for (const visit of ['first', 'second'] as Visit[]) {
      const phone = times[`${surface}|${visit}|phone`]!;
      const plain = times[`${surface}|${visit}|plain`]!;
      const at = (ts: Timings[], k: keyof Timings) => median(ts.map((t) => t[k]));
      rows.push([
        surface === 'portal' ? 'portal (approve → first condition)' : 'chart in the EHR frame (launch → first problem)',
        visit,
        at(phone, 'painted').toFixed(0),
        median(shares[`${surface}|${visit}|phone`]!).toFixed(0),
        at(phone, 'interactive').toFixed(0),
        at(phone, 'found').toFixed(0),
        at(plain, 'painted').toFixed(0),
        (at(phone, 'painted') / at(plain, 'painted')).toFixed(1),
        String(GOAL_MS[visit]),
        String(RUNS),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nTime to the first condition on screen, Chromium emulating a phone (Slow 4G, CPU ${CPU_SLOWDOWN}x slower) and unthrottled, ${RUNS} run(s) each, medians.`);
  console.log('On screen: when Chromium painted it (Element Timing). Of it Housecall\'s: the part spent on Housecall\'s own documents (/launch, /redirect, the page) and from the page\'s last byte to the paint; the rest is the EHR\'s pages and redirects and the browser between them. Scripts running: when the summary\'s scripts had run (its links and sign-out work before, as page loads). Driver found it: when Playwright saw it, which waits for the page\'s busy thread.\n');
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  console.log('\nThe sandbox, Housecall and Chromium share this machine\'s cores; the sandbox answers without added latency beyond the emulated network.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
