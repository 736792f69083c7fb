import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { HOUSECALL_URL } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';

// Issue 16: the first screen comes with the page, so on a slow device or network it is on screen
// well before its scripts have run (bench/phone.ts: one to two seconds on the emulated phone).
// A tap in that window must not be lost: the summary's links are plain links and sign-out a
// plain form post, which the browser carries out itself. Here the scripts are held back until the
// test lets them go, so every tap below lands before any of Housecall's scripts has run.

const doctor = FIXTURE_PRACTITIONERS[0]!;
const ada = FIXTURE_PATIENTS[0]!;
const FIRST_PROBLEM = '[data-testid="section-problems"] [data-testid="section-item"]';

/** Holds every script of Housecall's until `release()`; counts those held. */
async function holdScripts(page: Page): Promise<{ release: () => void; held: () => number }> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  await page.route(`${HOUSECALL_URL}/_next/static/chunks/**/*.js`, async (route) => {
    held++;
    await gate;
    await route.continue();
  });
  return { release, held: () => held };
}

test('before its scripts run, the chart’s first screen shows, a section link opens its section and sign-out signs out', async ({ page }) => {
  const scripts = await holdScripts(page);
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  const frame = ehr.frame();
  await expect(frame.locator(FIRST_PROBLEM).first()).toBeVisible();
  await expect(frame.getByTestId('chart-summary')).toHaveAttribute('data-hydrated', 'no');
  expect(scripts.held()).toBeGreaterThan(0);

  // A section link: the browser follows it as a page load.
  await frame.getByTestId('section-problems').getByTestId('section-open').click();
  await expect.poll(() => new URL(ehr.frameUrl()).pathname).toMatch(/^\/l\/[^/]+\/chart\/problems$/);

  // Back on the summary, still without scripts: sign-out posts its form.
  await ehr.appFrame().goto(ehr.frameUrl().replace(/\/problems$/, ''), { waitUntil: 'domcontentloaded' });
  await expect(frame.locator(FIRST_PROBLEM).first()).toBeVisible();
  await expect(frame.getByTestId('chart-summary')).toHaveAttribute('data-hydrated', 'no');
  const signOut = page.waitForRequest((r) => r.method() === 'POST' && /\/l\/[^/]+\/signout$/.test(new URL(r.url()).pathname));
  await frame.getByTestId('sign-out').click();
  await signOut;
  await expect(frame.getByTestId('signed-out')).toBeVisible();

  // The signed-out page erases the device's copy once its scripts arrive.
  scripts.release();
  await expect(frame.getByTestId('local-wipe')).toHaveAttribute('data-state', 'done');
});

test('before its scripts run, the patient’s portal home shows, its menu opens a page and sign-out signs out', async ({ page }) => {
  const scripts = await holdScripts(page);
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(ada.id);
  await portal.approve();
  await expect(page.locator(FIRST_PROBLEM).first()).toBeVisible();
  await expect(page.getByTestId('chart-summary')).toHaveAttribute('data-hydrated', 'no');
  const home = page.url();

  await page.getByTestId('nav-results').click();
  await expect(page).toHaveURL(/\/l\/[^/]+\/portal\/results$/);

  await page.goto(home, { waitUntil: 'domcontentloaded' });
  await expect(page.locator(FIRST_PROBLEM).first()).toBeVisible();
  await expect(page.getByTestId('chart-summary')).toHaveAttribute('data-hydrated', 'no');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  expect(scripts.held()).toBeGreaterThan(0);
  scripts.release();
  await expect(page.getByTestId('local-wipe')).toHaveAttribute('data-state', 'done');
});
