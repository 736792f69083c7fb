import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Response } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { E2E_DB, E2E_STORE_KEY, HOUSECALL_URL, localEnv } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';

/**
 * Tokens never reach the browser (SMART review item 30): after a launch, the chart, a reload and
 * a detail view, the launch's access and refresh tokens appear in no response Housecall sent
 * (HTML, RSC payloads, scripts, JSON) and in none of the frame's web storage: localStorage,
 * sessionStorage, IndexedDB database names and cookies.
 */
const ada = FIXTURE_PATIENTS[0]!;
const doctor = FIXTURE_PRACTITIONERS[0]!;

test('the access and refresh tokens of a launch appear in no response and no browser storage', async ({ page, context }) => {
  const bodies: { url: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (r: Response) => {
    if (!r.url().startsWith(HOUSECALL_URL)) return;
    pending.push(r.body().then((b) => { bodies.push({ url: r.url(), text: b.toString('latin1') }); }, () => undefined));
  });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  await ehr.chart().settled();
  await ehr.reloadApp();
  await expect(ehr.chart().section('problems')).toContainText(ada.problem);
  await ehr.chart().settled();

  const launchId = /\/l\/([A-Za-z0-9_-]+)\//.exec(ehr.frameUrl())?.[1];
  expect(launchId).toBeTruthy();
  const env = { ...process.env, ...localEnv({ HOUSECALL_DB: E2E_DB, HOUSECALL_ENV: 'test', HOUSECALL_STORE_KEY: E2E_STORE_KEY, LOG_LEVEL: 'silent' }) };
  const { stdout } = await promisify(execFile)('node', ['--conditions=react-server', '--import', 'tsx', 'e2e/harness/print-launch-tokens.ts', launchId!], { env });
  const tokens = JSON.parse(stdout) as { accessToken: string | null; refreshToken: string | null };
  expect(tokens.accessToken?.length ?? 0).toBeGreaterThan(10);
  const needles = [tokens.accessToken!, ...(tokens.refreshToken ? [tokens.refreshToken] : [])];

  await Promise.all(pending);
  expect(bodies.length).toBeGreaterThan(5);
  expect(bodies.some((b) => b.url.includes('/_next/static/') && b.url.endsWith('.js'))).toBe(true);
  const leaks = bodies.filter((b) => needles.some((n) => b.text.includes(n))).map((b) => new URL(b.url).pathname);
  expect(leaks).toEqual([]);

  const frame = ehr.appFrame();
  const storage = await frame.evaluate(async () => {
    // Inside a cross-site frame Chromium may deny web storage altogether: then nothing is stored there.
    const dump = (storage: () => Storage) => {
      try {
        const s = storage();
        return Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i)!)}`).join('\n');
      } catch {
        return '';
      }
    };
    const dbs = await (async () => indexedDB.databases())().then((list) => list.map((d) => d.name ?? ''), () => [] as string[]);
    return { local: dump(() => localStorage), session: dump(() => sessionStorage), dbs: dbs.join('\n'), cookie: document.cookie };
  });
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
  for (const where of [storage.local, storage.session, storage.dbs, storage.cookie, cookies]) {
    for (const n of needles) expect(where.includes(n)).toBe(false);
  }
});
