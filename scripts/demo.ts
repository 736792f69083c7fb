/**
 * `npm run demo`: builds Housecall if needed, starts the sandbox EHR and Housecall, and prints
 * where to go. Ctrl-C stops both. The sandbox's seed is moved to today (`SANDBOX_DATES=today`,
 * resolved here to the day so the sandbox and this output agree) unless `SANDBOX_DATES` says
 * otherwise (`fixed` keeps the fixtures' own days, as the tests do).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dateShift, describeDateShift, readSandboxDates, SEED_ANCHOR_DAY } from '../sandbox/dates/shift';
import { HOUSECALL_URL, localEnv, portOf, SANDBOX_ORIGIN } from './env';
import { ensureBuild } from './next-build';
import { housecallServerArgs } from './server-command';

/** `--launcher[=client-id]`: also accept launches from the public SMART Health IT launcher. */
const launcherArg = process.argv.slice(2).find((a) => a === '--launcher' || a.startsWith('--launcher='));
const launcherClientId = launcherArg ? (launcherArg.split('=')[1] || process.env.HOUSECALL_SMART_LAUNCHER_CLIENT_ID || 'housecall-dev') : process.env.HOUSECALL_SMART_LAUNCHER_CLIENT_ID;
/** The day the seed's anchor day becomes, or null for the fixtures' own days. */
const datesTo = ((): string | null => {
  try {
    return readSandboxDates({ SANDBOX_DATES: process.env.SANDBOX_DATES || 'today' });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
})();
const env = {
  ...process.env,
  SANDBOX_DATES: datesTo ?? 'fixed',
  ...localEnv({ HOUSECALL_DB: process.env.HOUSECALL_DB ?? '.data/demo.sqlite' }),
  ...(launcherClientId ? { HOUSECALL_SMART_LAUNCHER_CLIENT_ID: launcherClientId } : {}),
};
const children: ChildProcess[] = [];

function stop(code = 0): never {
  for (const c of children) if (c.pid) try { process.kill(c.pid, 'SIGTERM'); } catch { /* already gone */ }
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url: string, label: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`${label} did not start within ${timeoutMs / 1000} s`);
  stop(1);
}

async function main(): Promise<void> {
  const built = ensureBuild(env, process.env.DEMO_REBUILD === '1');
  if (built !== 0) stop(built);

  children.push(spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], { stdio: 'inherit', env }));
  children.push(spawn(process.execPath, housecallServerArgs(portOf(HOUSECALL_URL)), { stdio: ['ignore', 'ignore', 'inherit'], env }));
  for (const c of children) c.on('exit', (code) => { if (code) stop(code); });

  await waitFor(`${SANDBOX_ORIGIN}/health`, 'The sandbox EHR', 60_000);
  await waitFor(`${HOUSECALL_URL}/`, 'Housecall', 60_000);
  console.log(`
  Housecall is running.
    EHR (clinician launch in an iframe): ${SANDBOX_ORIGIN}/ehr
    Patient portal (standalone launch):  ${SANDBOX_ORIGIN}/portal
    Housecall itself:                    ${HOUSECALL_URL}
    Staff console (sign in as a sandbox staff account): ${HOUSECALL_URL}/staff
    ${describeDateShift(datesTo ? dateShift(SEED_ANCHOR_DAY, datesTo) : null)}${launcherClientId ? `
    SMART Health IT launcher (client id ${launcherClientId}): open https://launch.smarthealthit.org,
      App's Launch URL ${HOUSECALL_URL}/launch (EHR launch), or for a patient standalone launch
      open ${HOUSECALL_URL}/launch?iss=https://launch.smarthealthit.org/v/r4/fhir` : ''}
  Press Ctrl-C to stop.`);
}

void main();
