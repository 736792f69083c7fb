import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { E2E_DB, E2E_STORE_KEY, localEnv } from '../scripts/env';
import { ChartView } from './pages/chart-view';
import { ClinicianWindow } from './pages/clinician-window';
import { PortalPage } from './pages/portal-page';

// Issue 5: consent revocation and a support-initiated end of launch erase the device's copy.
// prac-002 with these patients: no other spec restricts them; the restriction is removed after.
const doctor = FIXTURE_PRACTITIONERS[1]!;
const revoking = FIXTURE_PATIENTS[16]!;
const supported = FIXTURE_PATIENTS[17]!;

/** Housecall's partition databases in this page's origin. */
async function partitionDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('housecall-p-')));
}

/** Asks for a sync round now, as returning to the window does. */
async function focus(page: Page): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
}

test('the patient restricting this practitioner entirely erases the chart’s copy in every window of the launch, and the chart says why', async ({ context, browser }) => {
  const own = await ClinicianWindow.open(context, doctor.id, revoking.id);
  await expect(own.chart.section('allergies')).toContainText(revoking.allergy);
  const databases = await partitionDatabases(own.page);
  expect(databases.length).toBeGreaterThan(0);
  // A second window of the same launch, following the first.
  const second = await context.newPage();
  await second.goto(own.page.url());
  await expect(second.getByTestId('sync-indicator')).toHaveText('All changes saved');

  const patientContext = await browser.newContext();
  const portalPage = await patientContext.newPage();
  const portal = new PortalPage(portalPage);
  await portal.openHousecall();
  await portal.signInAs(revoking.id);
  await portal.approve();
  await expect(portalPage.getByTestId('chart-summary')).toBeVisible();
  await new ChartView(portalPage).settled();
  const base = new URL(portalPage.url()).pathname.replace(/\/(chart|portal)(\/.*)?$/, '');
  const consents = `/api${base}/consents`;
  const created = await portalPage.evaluate(async ({ url, id }) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'restrict-practitioner', practitionerId: id }) });
    return { status: res.status, id: ((await res.json()) as { id: string }).id };
  }, { url: consents, id: doctor.id });
  expect(created.status).toBe(201);
  try {
    await focus(own.page);
    const indicator = own.page.locator('[data-sync-state]');
    await expect(indicator).toHaveAttribute('data-wiped', 'consent');
    await expect(own.indicator()).toHaveText('The patient no longer shares this record with you, so Housecall erased its copy on this device');
    await expect.poll(() => partitionDatabases(own.page)).toEqual([]);
    // The other window was told too, and says the same.
    await expect(second.locator('[data-sync-state]')).toHaveAttribute('data-wiped', 'consent');
    await expect(second.getByTestId('sync-indicator')).toHaveText(/erased its copy on this device/);
    expect(await partitionDatabases(second)).toEqual([]);
    // What the patient withdrew is no longer on screen either, and the 360 px window reads well.
    await expect(own.chart.section('allergies')).not.toContainText(revoking.allergy);
    expect(await own.accessibilityProblems('chart-summary')).toEqual([]);
  } finally {
    expect(await portalPage.evaluate(async (url) => (await fetch(url, { method: 'DELETE' })).status, `${consents}/${created.id}`)).toBe(200);
    await patientContext.close();
  }
});

test.afterEach(async ({ context }) => {
  await context.setOffline(false);
});

test('support ending a launch (npm run support:end-launch) makes its window erase the device’s copy on the next sync, saying how many unsent changes went with it', async ({ context }) => {
  const own = await ClinicianWindow.open(context, doctor.id, supported.id);
  expect((await partitionDatabases(own.page)).length).toBeGreaterThan(0);
  // A note saved while offline: unsent work on the device.
  await own.chart.writeNote().click();
  await expect(own.page.getByTestId('note-editor')).toHaveAttribute('data-loaded', 'yes');
  await own.detail.noteText().fill('Home visit: reviewed medicines.');
  await expect(own.detail.noteStatus()).toHaveAttribute('data-kept', 'server');
  await context.setOffline(true);
  await own.page.getByTestId('note-save').click();
  await expect(own.indicator()).toHaveText('1 change waiting for a connection');

  const run = promisify(execFile);
  const env = { ...process.env, ...localEnv({ HOUSECALL_DB: E2E_DB, HOUSECALL_ENV: 'test', HOUSECALL_STORE_KEY: E2E_STORE_KEY, LOG_LEVEL: 'silent', SUPPORT_OPERATOR: 'e2e' }) };
  const { stdout } = await run('node', ['--conditions=react-server', '--import', 'tsx', 'scripts/support-end-launch.ts', own.launchId], { env });
  expect(stdout).toContain(`launch ${own.launchId} ended (support-ended)`);

  // Back online, the reconnect round asks first and is told the launch was withdrawn: nothing is sent.
  const writes: string[] = [];
  own.page.on('request', (r) => {
    if (r.method() !== 'GET' && r.url().includes('/fhir/')) writes.push(r.method());
  });
  await context.setOffline(false);
  await expect(own.page.locator('[data-sync-state]')).toHaveAttribute('data-wiped', 'launch-withdrawn');
  await expect(own.indicator()).toHaveText('Your EHR or support ended this session, so Housecall erased its copy on this device — 1 change not yet sent was discarded');
  expect(writes).toEqual([]);
  await expect.poll(() => partitionDatabases(own.page)).toEqual([]);
});
