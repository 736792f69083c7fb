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

// The summary's own code is a chunk of its own (components/chart/summary-code.tsx), which may
// arrive after the page's other scripts have run and the sync indicator has spoken. Until it does,
// the summary the server drew must stay on screen as it is: never taken down and drawn again by
// the browser, never replaced by a loading line. Here that chunk is held back while everything
// else runs; the summary element on screen is marked, and the one brought to life must carry the mark.
test('the portal home’s summary stays on screen, the same element, while its code is still on its way and sync speaks', async ({ page }) => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let heldSummary = 0;
  await page.route(`${HOUSECALL_URL}/_next/static/chunks/**/*.js`, async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes('"chart-summary"')) {
      heldSummary++;
      await gate;
    }
    await route.fulfill({ response, body });
  });
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(ada.id);
  await portal.approve();
  await expect(page.locator(FIRST_PROBLEM).first()).toBeVisible();
  await page.getByTestId('chart-summary').evaluate((el) => {
    el.setAttribute('data-probe', 'from-the-server');
    new MutationObserver((records) => {
      for (const r of records) r.addedNodes.forEach((n) => n instanceof Element && n.matches('[data-testid="view-loading"]') && document.body.setAttribute('data-probe-loading', 'seen'));
    }).observe(document.body, { childList: true, subtree: true });
  });
  // The rest of the page is running: the sync indicator has read the device's outbox and said so.
  await expect(page.getByTestId('sync-indicator')).not.toHaveText('Opening your saved changes…');
  await expect(page.getByTestId('chart-summary')).toHaveAttribute('data-hydrated', 'no');
  expect(heldSummary).toBeGreaterThan(0);
  release();
  await expect(page.getByTestId('chart-summary')).toHaveAttribute('data-hydrated', 'yes');
  await expect(page.getByTestId('chart-summary')).toHaveAttribute('data-probe', 'from-the-server');
  await expect(page.locator(FIRST_PROBLEM).first()).toContainText(ada.problem);
  expect(await page.locator('body').getAttribute('data-probe-loading')).toBeNull();
});
