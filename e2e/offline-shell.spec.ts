import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { HOUSECALL_URL } from '../scripts/env';
import { ChartView } from './pages/chart-view';
import { ClinicianWindow } from './pages/clinician-window';
import { ContactDetails } from './pages/contact-details';

// A patient no other spec uses: a change is queued for them.
const patient = FIXTURE_PATIENTS[15]!;

/** Every request URL in Cache Storage, with the text of each response. */
async function cacheContents(page: Page): Promise<{ cache: string; url: string; text: string }[]> {
  return page.evaluate(async () => {
    const out: { cache: string; url: string; text: string }[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        out.push({ cache: name, url: request.url, text: response ? await response.text() : '' });
      }
    }
    return out;
  });
}

test('the worker script and the shell are served fresh, within a CSP that allows only same-origin workers', async ({ request }) => {
  const script = await request.get(`${HOUSECALL_URL}/sw.js?v=test`);
  expect(script.status()).toBe(200);
  expect(script.headers()['content-type']).toMatch(/javascript/);
  expect(script.headers()['cache-control']).toBe('no-cache');
  expect(script.headers()['content-security-policy']).toContain("worker-src 'self'");
  const shell = await request.get(`${HOUSECALL_URL}/offline`);
  expect(shell.status()).toBe(200);
  expect(shell.headers()['cache-control']).toBe('no-cache');
  const html = await shell.text();
  for (const needle of [patient.given, patient.family, patient.mrn, patient.id]) expect(html).not.toContain(needle);
});

async function controlledByWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toMatch(/\/sw\.js\?v=(?!dev$)[a-z0-9]+$/);
}

test('reloading the portal offline shows the app shell and the sync indicator; Cache Storage holds no API response and no patient data', async ({ page, context }) => {
  const contact = new ContactDetails(page, patient.id);
  await contact.launchAndOpen();
  await controlledByWorker(page);
  const portal = `/l/${contact.launchId}/portal`;

  await context.setOffline(true);
  await contact.save({ phone: `555-4${String(Date.now()).slice(-4)}` });
  await expect(contact.indicator()).toHaveText('1 change waiting for a connection');

  // A full reload with no network: the shell, not the browser's error page, and it finds the
  // queued change and the patient in the device's encrypted store.
  await page.goto(portal);
  await expect(page.getByTestId('offline-shell')).toHaveAttribute('data-state', 'found');
  await expect(contact.indicator()).toHaveText('1 change waiting for a connection');
  await expect(page.getByTestId('offline-patient')).toHaveText(patient.display);
  expect(new URL(page.url()).pathname).toBe(portal);
  // The summary too, from the answers saved when the portal opened online, with their age.
  const summary = new ChartView(page);
  await expect(summary.section('allergies')).toContainText(patient.allergy);
  await expect(summary.section('allergies').locator('[data-testid="fetched-at"][data-offline="yes"]')).toContainText('Offline: showing what was saved at');
  expect(await contact.accessibilityProblems('offline-shell')).toEqual([]);
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: 'artifacts/offline-shell-360.png', fullPage: true });
  await page.reload();
  await expect(contact.indicator()).toHaveText('1 change waiting for a connection');

  // The contact page opens offline too, from the device's copy, with the change in it.
  await page.getByTestId('offline-contact-link').click();
  await expect(page.getByTestId('contact-phone')).toHaveValue(/^555-4/);

  const stored = await cacheContents(page);
  expect(stored.some((e) => e.url.endsWith('/offline'))).toBe(true);
  for (const entry of stored) {
    expect(entry.cache).toMatch(/^housecall-shell-/);
    expect(new URL(entry.url).pathname, entry.url).toMatch(/^\/(offline$|_next\/static\/)/);
    expect(new URL(entry.url).search, entry.url).toBe('');
    for (const needle of [patient.id, patient.given, patient.family, patient.mrn, patient.birthDate, contact.launchId]) {
      expect(entry.text.includes(needle), `${needle} in ${entry.url}`).toBe(false);
    }
  }

  // A launch this device never saw: the shell says it has nothing, rather than guessing.
  await page.goto('/l/NeverSeenLaunch0000000/portal');
  await expect(page.getByTestId('offline-shell')).toHaveAttribute('data-state', 'nothing');
  await expect(page.getByTestId('offline-nothing')).toHaveText('This device has no saved copy of this record to show.');
  await expect(page.getByRole('heading', { level: 1, name: 'You are offline' })).toBeVisible();

  // Back online: the real page again, and the queued change reaches the EHR.
  await context.setOffline(false);
  await page.goto(portal);
  await expect(page.getByTestId('offline-shell')).toHaveCount(0);
  await expect(contact.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  // The client reported that its store is on disk, with the browser's answer to persist().
  await expect.poll(async () => (await (await page.request.get(`${HOUSECALL_URL}/api/metrics`)).text()).split('\n').some((l) => l.startsWith('housecall_client_storage_reports_total{') && l.includes('persistent="true"'))).toBe(true);
});

test('reloading a clinician’s chart offline shows the summary from the device’s saved answers, each section with its age', async ({ context }) => {
  const own = await ClinicianWindow.open(context, FIXTURE_PRACTITIONERS[0]!.id, patient.id);
  const { page } = own;
  await controlledByWorker(page);
  const chart = `/l/${own.launchId}/chart`;

  // A full reload with no network: the shell answers, and renders the same summary from the
  // encrypted store, every section saying it shows what was saved and when.
  await context.setOffline(true);
  await page.goto(chart);
  await expect(page.getByTestId('offline-shell')).toHaveAttribute('data-state', 'found');
  expect(new URL(page.url()).pathname).toBe(chart);
  await expect(own.chart.section('allergies')).toContainText(patient.allergy);
  await expect(own.chart.section('problems')).toContainText(patient.problem);
  await expect(own.chart.banner()).toContainText(patient.family);
  await expect(own.offlineNotices(own.chart.section('allergies'))).toContainText('Offline: showing what was saved at');
  await expect(own.offlineNotices(own.chart.section('problems'))).toContainText('Offline: showing what was saved at');
  await expect(own.indicator()).toBeVisible();
  await expect(page.getByTestId('session-ended')).toHaveCount(0);
  expect(await own.accessibilityProblems('offline-shell')).toEqual([]);

  // Nothing of it reached Cache Storage.
  for (const entry of await cacheContents(page)) {
    for (const needle of [patient.id, patient.given, patient.family, patient.allergy, own.launchId]) expect(entry.text.includes(needle), `${needle} in ${entry.url}`).toBe(false);
  }
  await context.setOffline(false);
});

test('signing out without a network says so instead of ending on the browser’s error page', async ({ page, context }) => {
  const contact = new ContactDetails(page, patient.id);
  await contact.launchAndOpen();
  await page.getByRole('link', { name: 'Back to your summary' }).click();
  await expect(page.getByTestId('sign-out')).toBeVisible();
  await context.setOffline(true);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('sign-out-offline')).toHaveText(/You are offline\. Sign out when you are back online/);
  expect(new URL(page.url()).pathname).toBe(`/l/${contact.launchId}/portal`);
  await context.setOffline(false);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('local-wipe')).toHaveAttribute('data-state', 'done');
});
