import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS } from '../fixtures';
import { problemsWithin } from './pages/accessibility';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';
import { StaffConsole } from './pages/staff-console';

// Issue 15: the staff console's sign-in and support pages. FIXTURE_PATIENTS[9]: a patient whose
// own portal launch no other spec depends on.
const patient = FIXTURE_PATIENTS[9]!;

/** Housecall's partition databases in this page's origin. */
async function partitionDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('housecall-p-')));
}

/** The patient's device: a browser of its own with a live portal launch. */
async function patientDevice(browser: Browser): Promise<{ device: BrowserContext; portalPage: Page; launchId: string }> {
  const device = await browser.newContext();
  const portalPage = await device.newPage();
  const portal = new PortalPage(portalPage);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(portalPage).toHaveURL(/\/l\/[A-Za-z0-9_-]+\/portal$/);
  return { device, portalPage, launchId: new URL(portalPage.url()).pathname.split('/')[2]! };
}

test.afterEach(async ({ request }) => {
  await knobs.reset(request);
});

test('a support member of staff signs in through the sandbox identity provider; the console is not framable and auditor pages answer 403', async ({ page }) => {
  const staff = new StaffConsole(page);
  await staff.signIn('staff-support-1');
  await expect(staff.who()).toHaveText('Robin Okafor · support');
  const home = await page.request.get('/staff');
  expect(home.status()).toBe(200);
  expect(home.headers()['x-frame-options']).toBe('DENY');
  expect(home.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  const audit = await page.goto('/staff/audit');
  expect(audit?.status()).toBe(403);
  await expect(page.getByTestId('staff-forbidden')).toBeVisible();
  // The API says the same with an OperationOutcome code; signed out it is 401.
  const reveal = await page.request.post('/staff/api/launches/aaaaaaaaaaaaaaaaaaaa/reveal', { data: { which: 'patient', reason: 'testing the role check' } });
  expect(reveal.status()).toBe(403);
  expect(JSON.stringify(await reveal.json())).toContain('staff-role-missing');
  const anonymous = await page.context().browser()!.newContext();
  const signedOut = await anonymous.request.post(`${new URL(page.url()).origin}/staff/api/launches/aaaaaaaaaaaaaaaaaaaa/end`, { data: { reason: 'x', confirm: 'yes' } });
  expect(signedOut.status()).toBe(401);
  expect(JSON.stringify(await signedOut.json())).toContain('staff-signed-out');
  await anonymous.close();
});

test('an account without a staff role is turned away at sign-in', async ({ page }) => {
  await page.goto('/staff');
  await page.getByTestId('staff-signin-button').click();
  await page.getByTestId('staff-login-staff-norole-1').click();
  await expect(page.getByTestId('staff-signin-error')).toContainText('no Housecall staff role');
  expect((await page.request.get('/staff', { maxRedirects: 0 })).status()).toBe(307);
});

test('support finds a launch from the reference on an error page, ends it with a reason and a confirmation, and the device erases its copy; no support page shows a patient’s name, MRN or birth date', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const { device, portalPage, launchId } = await patientDevice(browser);
  await expect(portalPage.getByTestId('sync-indicator')).toHaveText('All changes saved');
  expect((await partitionDatabases(portalPage)).length).toBeGreaterThan(0);

  // Opening Housecall again in the same browser fails at the EHR's token endpoint: an error page with a reference.
  await knobs.set(request, { tokenEndpoint: { status: 500, count: 1, clients: ['housecall'] } });
  const second = await device.newPage();
  await new PortalPage(second).openHousecall();
  await new PortalPage(second).signInAs(patient.id);
  await new PortalPage(second).approve();
  await expect(second.getByTestId('launch-error')).toHaveAttribute('data-error-code', 'token_exchange_failed');
  const reference = (await second.getByTestId('correlation-id').textContent())!;
  expect(reference).toMatch(/^[0-9a-f]{8}$/);

  // Support, in its own browser, signs in and finds the launch by what the person read out.
  // On a phone-sized screen: the support pages are checked at 360 px (axe, 44 px targets).
  const desk = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const staffPage = await desk.newPage();
  const staff = new StaffConsole(staffPage);
  await staff.signIn('staff-support-1');
  await staff.search(reference);
  await expect(staffPage.getByTestId('staff-reference')).toContainText('token_exchange_failed');
  expect(await staff.phiOnPage()).toEqual([]);
  await staffPage.locator(`[data-testid="staff-launch-link"][data-launch-id="${launchId}"]`).click();
  await expect(staffPage.getByTestId('staff-launch')).toHaveAttribute('data-ended', 'no');
  await expect(staffPage.getByTestId('staff-token-state')).toContainText('refresh token present');
  await expect(staffPage.getByTestId('staff-sync-state')).toContainText('0 pending');
  await expect(staffPage.getByTestId('staff-chain')).toContainText('Chain verified');
  expect(await staff.phiOnPage()).toEqual([]);
  expect(await problemsWithin(staffPage, ['[data-testid="staff-launch"]'])).toEqual([]);
  // The failed launch is listed by reason on the support page, and that page is PHI-free too.
  await staffPage.goto('/staff/support');
  await expect(staffPage.getByTestId('staff-failed-launches').locator('[data-code="token_exchange_failed"]')).toContainText(reference);
  expect(await staff.phiOnPage()).toEqual([]);
  expect(await problemsWithin(staffPage, ['[data-testid="staff-support"]'])).toEqual([]);

  // Without the confirmation nothing happens.
  await staffPage.goto(`/staff/support/launch/${launchId}`);
  await staffPage.getByTestId('staff-end-reason').fill('patient reported a lost phone');
  await staffPage.getByTestId('staff-end-submit').click();
  await expect(staffPage.getByTestId('staff-launch')).toHaveAttribute('data-ended', 'no');
  await staffPage.getByTestId('staff-end-confirm').check();
  await staffPage.getByTestId('staff-end-submit').click();
  await expect(staffPage.getByTestId('staff-done')).toContainText('The launch was ended');
  await expect(staffPage.getByTestId('staff-launch')).toHaveAttribute('data-ended', 'yes');
  await expect(staffPage.getByTestId('staff-launch-ended')).toContainText('support-ended');
  await expect(staffPage.getByTestId('staff-token-state')).toContainText('revoked');
  // The audit trail names the staff member who ended it.
  await expect(staffPage.getByTestId('staff-audit-trail')).toContainText('staff/staff-end-launch');
  await expect(staffPage.getByTestId('staff-audit-trail')).toContainText('staff: Robin Okafor');
  expect(await staff.phiOnPage()).toEqual([]);

  // The device learns it on its next sync round and erases its copy.
  await portalPage.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(portalPage.locator('[data-sync-state]')).toHaveAttribute('data-wiped', 'launch-withdrawn');
  await expect.poll(() => partitionDatabases(portalPage)).toEqual([]);
  await desk.close();
  await device.close();
});

test('a type the EHR refuses to download is shown to support as missing from the device, by type and code only', async ({ browser, request }) => {
  // The EHR answers every MedicationStatement request 400: the device's download of that type fails and is not retried.
  await knobs.set(request, { fhirError: { status: 400, resourceTypes: ['MedicationStatement'] } });
  const { device, portalPage, launchId } = await patientDevice(browser);
  await expect(portalPage.locator('[data-sync-state="idle"][data-synced="true"]')).toBeVisible({ timeout: 30_000 });

  const desk = await browser.newContext();
  const staffPage = await desk.newPage();
  const staff = new StaffConsole(staffPage);
  await staff.signIn('staff-support-1');
  // The device reports after its round; the page shows the latest report.
  await expect(async () => {
    await staffPage.goto(`/staff/support/launch/${launchId}`);
    await expect(staffPage.getByTestId('staff-sync-downloads-failing')).toContainText('MedicationStatement (', { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(staffPage.getByTestId('staff-sync-downloads-failing')).not.toContainText('Observation');
  expect(await staff.phiOnPage()).toEqual([]);
  await desk.close();
  await device.close();
});
