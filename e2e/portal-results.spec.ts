import { expect, test, type Page } from '@playwright/test';
import { MESSY_PATIENTS, NEW_RESULT_PRESETS, SYSTEMS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import { problemsWithin } from './pages/accessibility';
import { resultHistoryRequest, SUMMARY_REQUESTS } from '../lib/fhir/compose/requests';
import { PortalHome } from './pages/portal-home';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

/** A messy patient no other spec uses, so the result added here changes nobody else's chart. */
const wren = MESSY_PATIENTS.find((p) => p.id === 'pat-032')!;
const potassium = NEW_RESULT_PRESETS['potassium-high'];
const potassiumKey = `${SYSTEMS.loinc}|${potassium.loinc}`;
/** Where a phone's page holds what the patient reads and taps. */
const PAGE_PARTS = ['header', 'nav', 'main'];

test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

test.beforeEach(async ({ request }) => {
  await knobs.reset(request);
});

async function signIn(page: Page): Promise<void> {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(wren.id);
  await portal.approve();
}

async function addNewResult(page: Page): Promise<void> {
  const res = await page.request.post(`${SANDBOX_ORIGIN}/_new-result`, { data: { patient: wren.id } });
  expect(res.status()).toBe(201);
}

test('on a phone, a patient sees a new out-of-range result first, and opening it explains it', async ({ page }) => {
  test.setTimeout(120_000); // three pages, each checked by axe
  await addNewResult(page);
  await signIn(page);
  const home = new PortalHome(page);
  await expect(page).toHaveURL(/\/portal$/);

  // The three jobs are the first things on the page; the new result leads "For you now".
  for (const job of ['results', 'messages', 'appointments'] as const) await expect(home.nav(job)).toBeVisible();
  await home.attentionSettled();
  const item = home.attentionItems().first();
  await expect(item).toHaveAttribute('data-kind', 'new-result');
  await expect(item).toContainText('New result: Potassium');
  await expect(item).toContainText(`${potassium.value} mmol/L, higher than the usual range`);
  const attentionBox = (await home.attention().boundingBox())!;
  expect(attentionBox.y).toBeLessThan(740);
  expect(attentionBox.y).toBeLessThan((await page.getByTestId('chart-summary').boundingBox())!.y);
  // Provenance is one tap away for a patient, not on every line.
  await expect(page.getByTestId('section-allergies').getByTestId('source-line')).toBeHidden();
  await page.getByTestId('section-allergies').getByTestId('sources-disclosure').locator('summary').click();
  await expect(page.getByTestId('section-allergies').getByTestId('source-line').first()).toContainText('Sandbox EHR · version');
  expect(await problemsWithin(page, PAGE_PARTS)).toEqual([]);

  await item.getByRole('link').click();
  await expect(page).toHaveURL(/\/portal\/results\/test\?code=/);
  const explained = home.explained();
  await expect(explained.getByTestId('result-value')).toHaveText(`${potassium.value} mmol/L`);
  await expect(explained.getByTestId('result-flag-words')).toHaveText('Higher than the usual range');
  await expect(explained.getByTestId('result-range')).toHaveText(`Usual range: ${potassium.low}–${potassium.high} mmol/L`);
  const bar = explained.getByTestId('range-bar');
  await expect(bar).toBeVisible();
  // The value is drawn beyond the band's high end.
  expect(Number(await bar.getAttribute('data-marker'))).toBeGreaterThan(Number(await bar.getAttribute('data-band-to')));
  await expect(bar).toHaveAttribute('aria-label', /Higher than the usual range/);
  await expect(explained.getByTestId('result-description')).toContainText('heart and muscles');
  await expect(explained.getByTestId('result-description-source')).toContainText('MedlinePlus Lab Tests: Potassium Blood Test');
  await expect(explained.getByTestId('result-trend')).toContainText(/^(Up|Down) from /);
  await expect(page.getByTestId('earlier-result').first()).toBeVisible();
  expect(await problemsWithin(page, PAGE_PARTS)).toEqual([]);

  // The list: newest day first, the new result marked new; messy values said truthfully.
  await home.nav('results').click();
  await expect(page).toHaveURL(/\/portal\/results$/);
  const first = page.getByTestId('results-day').first();
  await expect(first.getByRole('heading', { level: 2 })).toHaveText(/Today|Yesterday/);
  const fresh = first.locator(`[data-testid="portal-result"][data-code="${potassiumKey}"]`);
  await expect(fresh).toHaveAttribute('data-new', 'true');
  await expect(fresh.getByTestId('result-flag-words')).toHaveText('Higher than the usual range');
  const crp = home.results().and(page.locator(`[data-code="${SYSTEMS.loinc}|1988-5"]`)).first();
  await expect(crp.getByTestId('result-value')).toHaveText('<5 mg/L');
  await expect(crp.getByTestId('result-value-note')).toHaveText('The lab reported a limit rather than an exact number.');
  await expect(crp.getByTestId('range-bar')).toHaveCount(0);
  await expect(home.results().and(page.locator(`[data-code="${SYSTEMS.loinc}|2571-8"]`)).first().getByTestId('result-status')).toContainText('Preliminary');
  await expect(home.results().and(page.locator(`[data-code="${SYSTEMS.loinc}|4548-4"]`)).first().getByTestId('result-status')).toContainText('Cancelled');
  expect(await problemsWithin(page, PAGE_PARTS)).toEqual([]);

  // Having opened the results page, the home no longer calls the result new.
  await page.getByTestId('nav-home').click();
  await expect(page).toHaveURL(/\/portal$/);
  await home.attentionSettled();
  await expect(home.attentionItems('new-result')).toHaveCount(0);
});

test('when the EHR did not share laboratory results, the results page says so and asking again brings them back', async ({ page, request }) => {
  await knobs.set(request, { narrowCategory: { resourceType: 'Observation', category: 'vital-signs', count: 1 } });
  await signIn(page);
  await expect(page).toHaveURL(/\/portal$/);
  await new PortalHome(page).nav('results').click();
  const notShared = page.getByTestId('part-not-shared');
  await expect(notShared).toContainText('Your test results were not shared with Housecall');
  await expect(page.getByTestId('portal-result')).toHaveCount(0);
  expect(await problemsWithin(page, PAGE_PARTS)).toEqual([]);

  await page.getByTestId('ask-again').click();
  const portal = new PortalPage(page);
  // The sandbox may remember the sign-in; it always asks to approve the scopes again.
  const login = page.getByTestId('login-account');
  await login.or(page.getByTestId('consent-approve')).first().waitFor();
  if (await login.isVisible()) await portal.signInAs(wren.id);
  await portal.approve();
  await expect(page).toHaveURL(/\/portal\/results$/);
  await expect(page.getByTestId('results-day').first()).toBeVisible();
  await expect(page.getByTestId('part-not-shared')).toHaveCount(0);
});

test('loaded as a document, the results page and a test’s page come with their answers: they show them while the browser’s own requests hang', async ({ page }) => {
  await signIn(page);
  await expect(page).toHaveURL(/\/portal$/);
  const home = page.url();
  const code = `${SYSTEMS.loinc}|1988-5`;
  // From here the browser's own requests for the results hang: what the pages show came with them.
  const hung: string[] = [];
  const wanted = new Set([SUMMARY_REQUESTS.labs, resultHistoryRequest(code)]);
  await page.route('**/api/l/*/fhir/Observation?**', (route) => {
    const url = route.request().url();
    const path = decodeURIComponent(url.slice(url.indexOf('/fhir/') + '/fhir/'.length));
    if (wanted.has(path)) hung.push(path);
    else void route.continue();
  });

  await page.goto(`${home}/results`);
  const crp = page.locator(`[data-testid="portal-result"][data-code="${code}"]`).first();
  await expect(crp.getByTestId('result-value')).toHaveText('<5 mg/L');
  await expect(page.getByTestId('portal-results')).toHaveAttribute('data-hydrated', 'yes');

  await page.goto(`${home}/results/test?code=${encodeURIComponent(code)}`);
  await expect(page.getByTestId('portal-result-detail').getByTestId('result-value').first()).toHaveText('<5 mg/L');
  await expect(page.getByTestId('portal-result-detail')).toHaveAttribute('data-hydrated', 'yes');
});
