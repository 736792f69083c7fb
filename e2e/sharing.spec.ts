import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { SharingPage } from './pages/sharing-page';

const patient = FIXTURE_PATIENTS[3]!;
const colleague = FIXTURE_PRACTITIONERS[3]!;
const restricted = FIXTURE_PRACTITIONERS[2]!;

const launchPath = (url: string) => new URL(url).pathname.replace(/\/(chart|portal)(\/.*)?$/, '');

async function patientPortal(page: Page): Promise<string> {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(page.getByTestId('chart-summary')).toBeVisible();
  await new ChartView(page).settled(); // the summary has stopped growing, so links below it stay put
  return launchPath(page.url());
}

test('a patient shares allergies after reading the preview, finds it in the sharing centre, and revokes it with one tap', async ({ page }) => {
  const base = await patientPortal(page);
  await page.getByTestId('share-allergies').click();
  await expect(page).toHaveURL(/\/portal\/share\?section=allergies$/);
  const sharing = new SharingPage(page);
  await sharing.choosePractitioner(colleague.id);
  await page.getByTestId('share-days').fill('14');
  await page.getByTestId('share-review').click();
  const preview = page.getByTestId('share-preview');
  await expect(preview).toContainText('allergies');
  await expect(preview).toContainText('14 days');
  const previewText = (await preview.textContent()) ?? '';
  await page.getByTestId('share-confirm').click();
  await expect(page.getByTestId('share-done')).toBeVisible();

  // The same share recorded again is flagged as a duplicate in the centre.
  const dup = await page.evaluate(async ({ url, id }) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'share-with-practitioner', practitionerId: id, resourceTypes: ['AllergyIntolerance'], days: 7 }) });
    return (await res.json()) as { id: string };
  }, { url: `/api${base}/consents`, id: colleague.id });
  await page.goto(`${base}/portal/sharing`);
  await expect(page.locator(`[data-consent-id="${dup.id}"]`).getByTestId('consent-overlap')).toContainText('same choice more than once');
  await page.locator(`[data-consent-id="${dup.id}"]`).getByTestId('revoke').click();
  await page.locator(`[data-consent-id="${dup.id}"]`).getByTestId('revoke-confirm').click();
  await expect(page.locator(`[data-consent-id="${dup.id}"]`)).toHaveAttribute('data-status', 'inactive');

  const item = sharing.activeItems().filter({ hasText: colleague.id });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('consent-overlap')).toHaveCount(0);
  await expect(item).toContainText('can see allergies');
  await expect(item.getByTestId('consent-preview')).toHaveText(previewText, { useInnerText: false });

  await item.getByTestId('revoke').click();
  await item.getByTestId('revoke-confirm').click();
  await expect(sharing.activeItems().filter({ hasText: colleague.id })).toHaveCount(0);
  await expect(page.getByTestId('past-consents').getByTestId('consent-item').filter({ hasText: colleague.id }).first()).toHaveAttribute('data-status', 'inactive');
});

test('a clinician sees that items are hidden by the patient and opens them with break-glass from the chart', async ({ page, browser }) => {
  const base = await patientPortal(page);
  const created = await page.evaluate(async ({ url, id }) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'restrict-practitioner', practitionerId: id }) });
    return (await res.json()) as { id: string };
  }, { url: `/api${base}/consents`, id: restricted.id });

  const ctx = await browser.newContext();
  const ehr = new EhrPage(await ctx.newPage());
  await ehr.launch(restricted.id, patient.id);
  const frame = ehr.frame();
  await expect(frame.getByTestId('consent-hidden-notice')).toContainText("Some items are hidden by the patient's sharing choices");
  await expect(ehr.chart().section('allergies')).not.toContainText(patient.allergy);
  await frame.getByTestId('break-glass-open').click();
  await frame.getByTestId('break-glass-reason').fill('short');
  await expect(frame.getByTestId('break-glass-submit')).toBeDisabled();
  await frame.getByTestId('break-glass-reason').fill('Collapsed in clinic, needs allergy check');
  await frame.getByTestId('break-glass-minutes').selectOption('15');
  await frame.getByTestId('break-glass-submit').click();
  await expect(ehr.chart().section('allergies')).toContainText(patient.allergy);
  await ctx.close();

  // Tidy up so other tests see this patient unrestricted.
  const status = await page.evaluate(async (url) => (await fetch(url, { method: 'DELETE' })).status, `/api${base}/consents/${created.id}`);
  expect(status).toBe(200);
});

test('a share link shows only the chosen data, read-only, and stops working once revoked', async ({ page, browser }) => {
  const base = await patientPortal(page);
  await page.getByTestId('sharing-centre-link').click();
  await expect(page).toHaveURL(/\/portal\/sharing$/);
  await expect(page.getByTestId('sharing-centre')).toBeVisible();
  await page.getByTestId('link-create').click();
  const url = (await page.getByTestId('link-url').getAttribute('href')) ?? '';
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);

  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(url);
  await expect(view.getByTestId('shared-record')).toBeVisible();
  await expect(view.getByTestId('shared-section')).toHaveCount(1);
  await expect(view.getByTestId('shared-section')).toHaveAttribute('data-type', 'AllergyIntolerance');
  await expect(view.getByTestId('shared-section')).toContainText(patient.allergy);
  await expect(view.locator('form, button')).toHaveCount(0);

  await page.goto(`${base}/portal/sharing`);
  const item = page.locator('[data-testid="share-link-item"][data-status="active"]').first();
  await item.getByTestId('link-revoke').click();
  await item.getByTestId('link-revoke-confirm').click();
  await expect(page.getByTestId('share-link-item').first()).toHaveAttribute('data-status', 'revoked');

  await view.reload();
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'revoked');
  await view.goto(url.replace(/.{4}$/, 'AAAA'));
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'unknown');
  await partner.close();
});

test('a share link stops working when the patient signs out, since it reads through their launch', async ({ page, browser }) => {
  const base = await patientPortal(page);
  const made = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceTypes: ['Condition'], hours: 1 }) });
    return { status: res.status, json: (await res.json()) as { path: string } };
  }, `/api${base}/share-links`);
  expect(made.status).toBe(201);
  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(new URL(made.json.path, page.url()).toString());
  await expect(view.getByTestId('shared-section')).toHaveAttribute('data-type', 'Condition');

  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  await view.reload();
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'ended');
  await partner.close();
});
