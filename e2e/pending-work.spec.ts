import { expect, test, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { FIXTURE_PATIENTS } from '../fixtures';
import { HOUSECALL_URL } from '../scripts/env';
import { ContactDetails, telecom, withTelecom } from './pages/contact-details';
import { knobs } from './pages/sandbox-knobs';

// Patients no other spec uses: these tests change their contact details in the sandbox.
const failing = FIXTURE_PATIENTS[16]!;
const conflicting = FIXTURE_PATIENTS[17]!;
const memoryOnly = FIXTURE_PATIENTS[18]!;
const unique = () => String(Date.now()).slice(-4);

/** The next write of a Patient is refused for good (422), as an EHR refuses a change it will not take. */
async function refuseNextPatientWrite(request: APIRequestContext): Promise<void> {
  // Only the update: the engine reads the Patient each round and the proxy reads the stored copy before a PUT.
  await knobs.set(request, { fhirError: { status: 422, resourceTypes: ['Patient'], methods: ['PUT'], clients: ['housecall'], count: 1 } });
}

/** Counts the page's requests to Housecall's API that have not finished. */
function apiRequestsInFlight(page: Page): () => number {
  let open = 0;
  const mine = (url: string) => url.startsWith(`${HOUSECALL_URL}/api/l/`);
  page.on('request', (r) => void (mine(r.url()) && (open += 1)));
  const done = (r: Request) => void (mine(r.url()) && (open -= 1));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return () => open;
}

/** Sync is idle and no request of the page is in flight: a fault armed now meets the next request the test makes. */
async function settled(page: Page, inFlight: () => number): Promise<void> {
  await expect(page.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'idle');
  await expect.poll(inFlight).toBe(0);
}

async function storageReports(request: APIRequestContext): Promise<string[]> {
  const text = await (await request.get(`${HOUSECALL_URL}/api/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('housecall_client_storage_reports_total{'));
}

test.afterEach(async ({ request }) => knobs.reset(request));

test('a change the EHR refuses is listed with the reason; sign-out warns; try again sends it, discard erases it after asking', async ({ page, request }) => {
  const contact = new ContactDetails(page, failing.id);
  const inFlight = apiRequestsInFlight(page);
  await contact.launchAndOpen();
  const first = `555-5${unique()}`;
  await settled(page, inFlight);
  await refuseNextPatientWrite(request);
  await contact.save({ phone: first });
  await expect(contact.indicator()).toHaveText('1 change could not be saved', { timeout: 30_000 });

  // Sign-out first says what it would erase; Escape and "Stay and send" keep the person here.
  await page.getByRole('link', { name: 'Back to your summary' }).click();
  await page.getByTestId('sign-out').click();
  const dialog = page.getByRole('dialog', { name: '1 change has not reached your clinic' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('1 change your clinic did not accept');
  await expect(dialog.getByTestId('unsent-review')).toHaveAttribute('href', `/l/${contact.launchId}/portal/review`);
  await expect(page.getByTestId('unsent-stay')).toBeFocused();
  await page.screenshot({ path: 'artifacts/sign-out-unsent.png' });
  expect(await contact.accessibilityProblems('unsent-dialog')).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByTestId('sign-out').click();
  await page.getByTestId('unsent-stay').click();
  await expect(dialog).toBeHidden();
  expect(new URL(page.url()).pathname).toBe(`/l/${contact.launchId}/portal`);

  // The failed change: what it was, why, in plain words; "Try again" sends it.
  await page.getByTestId('sync-review-link').click();
  const item = page.getByTestId('failed-change');
  await expect(item.getByTestId('failed-field')).toContainText('Mobile phone');
  await expect(item.getByTestId('failed-after')).toHaveText(first);
  await expect(item.getByTestId('failed-reason')).toHaveText(/did not accept this change/);
  expect(await contact.accessibilityProblems('review-page')).toEqual([]);
  await page.screenshot({ path: 'artifacts/failed-change.png', fullPage: true });
  await item.getByTestId('failed-retry').click();
  await expect(contact.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  await expect(item).toHaveCount(0);
  await expect.poll(async () => telecom(await contact.serverPatient(), 'phone', 'mobile')).toBe(first);

  // Another refused change: discarding asks first, then erases it and restores the device's copy.
  await page.getByRole('link', { name: 'Back to your contact details' }).click();
  await expect(page.getByTestId('contact-phone')).toHaveValue(first);
  await settled(page, inFlight);
  await refuseNextPatientWrite(request);
  await contact.save({ phone: `555-6${unique()}` });
  await expect(contact.indicator()).toHaveText('1 change could not be saved', { timeout: 30_000 });
  await page.getByTestId('contact-page').getByRole('link', { name: 'Back to your summary' }).click();
  await page.getByTestId('sync-review-link').click();
  await item.getByTestId('failed-discard').click();
  await expect(page.getByRole('group', { name: 'Discard this change?' })).toBeVisible();
  // The question opens on the choice that loses nothing.
  await expect(page.getByTestId('failed-discard-cancel')).toBeFocused();
  await page.getByTestId('failed-discard-cancel').click();
  await expect(item).toHaveCount(1);
  await item.getByTestId('failed-discard').click();
  await page.getByTestId('failed-discard-confirm').click();
  await expect(item).toHaveCount(0);
  await expect(contact.indicator()).toHaveText('All changes saved');
  expect(telecom(await contact.serverPatient(), 'phone', 'mobile')).toBe(first);
  await page.goto(`/l/${contact.launchId}/portal/contact`);
  await expect(page.getByTestId('contact-phone')).toHaveValue(first);

  // With unsent work, the keyboard alone reaches "Sign out and discard", and the device's copy is erased.
  await settled(page, inFlight);
  await refuseNextPatientWrite(request);
  await contact.save({ phone: `555-7${unique()}` });
  await expect(contact.indicator()).toHaveText('1 change could not be saved', { timeout: 30_000 });
  await page.goto(`/l/${contact.launchId}/portal`);
  await expect(contact.indicator()).toHaveText('1 change could not be saved');
  await page.getByTestId('sign-out').focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('unsent-discard')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('local-wipe')).toHaveAttribute('data-state', 'done');
  expect(await page.evaluate(async () => (await indexedDB.databases()).filter((d) => d.name?.startsWith('housecall-p-')).length)).toBe(0);
});

test('signing out with nothing unsent asks nothing', async ({ page }) => {
  const contact = new ContactDetails(page, failing.id);
  await contact.launchAndOpen();
  await page.getByRole('link', { name: 'Back to your summary' }).click();
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
});

test('a conflict resolved by editing: start from the clinic’s copy, change it, and the edited version is saved and audited', async ({ page, request }) => {
  const contact = new ContactDetails(page, conflicting.id);
  await contact.launchAndOpen();
  const theirs = `555-8${unique()}`;
  const mine = `555-9${unique()}`;
  const edited = `555-0${unique()}`;
  await contact.editBehindTheBack(request, (p) => ({ telecom: withTelecom(p, 'phone', 'mobile', theirs) }));
  await contact.save({ phone: mine });
  await expect(contact.indicator()).toHaveText('1 change needs your review', { timeout: 30_000 });
  await page.getByTestId('sync-review-link').click();
  await page.getByTestId('edit-conflict').click();
  const field = page.getByRole('textbox', { name: 'Mobile phone' });
  await expect(field).toHaveValue(mine);
  await page.getByTestId('edit-from-theirs').click();
  await expect(page.getByTestId('edit-from-theirs')).toHaveAttribute('aria-pressed', 'true');
  await expect(field).toHaveValue(theirs);
  expect(await contact.accessibilityProblems('review-page')).toEqual([]);
  await page.screenshot({ path: 'artifacts/conflict-edit.png', fullPage: true });
  await field.fill(edited);
  await page.getByTestId('edit-save').click();
  await expect(contact.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  await expect.poll(async () => telecom(await contact.serverPatient(), 'phone', 'mobile'), { timeout: 30_000 }).toBe(edited);
  await page.goto(`/l/${contact.launchId}/portal/access`);
  await expect(page.getByTestId('access-item').filter({ hasText: 'You settled a conflicting change to your personal details' }).first()).toBeVisible();
});

test('with IndexedDB refused the indicator warns that this window cannot keep changes; the store mode is reported', async ({ page, request }) => {
  const before = await storageReports(request);
  await page.addInitScript((origin) => {
    if (location.origin === origin) Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true });
  }, new URL(HOUSECALL_URL).origin);
  const contact = new ContactDetails(page, memoryOnly.id);
  await contact.launchAndOpen();
  await expect(page.getByTestId('sync-memory-only')).toHaveText('This window cannot keep changes if it closes; stay online until they are saved.');
  await expect.poll(async () => (await storageReports(request)).filter((l) => l.includes('persistent="false"') && !before.includes(l)).length).toBeGreaterThan(0);
});
