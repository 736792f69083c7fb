import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { summaryRequestPaths } from '../lib/fhir/compose/requests';
import { HOUSECALL_URL, SANDBOX_ORIGIN } from '../scripts/env';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { recordFhirRequests } from './pages/fhir-requests';

const patient = FIXTURE_PATIENTS[3]!;

test('a patient launches Housecall from the portal and sees their own summary', async ({ page }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(page).toHaveURL(new RegExp(`^${HOUSECALL_URL}/l/[A-Za-z0-9_-]+/portal$`));
  const summary = new ChartView(page);
  await expect(summary.patientName()).toHaveText(patient.display);
  await expect(summary.section('allergies')).toContainText(patient.allergy);
  await expect(summary.section('problems')).toContainText(patient.problem);
  await page.screenshot({ path: 'artifacts/portal-summary.png', fullPage: true });
});

test('the portal home arrives with the summary: the first condition is in the page itself, and the browser asks for none of it, before or after the first sync round', async ({ page }) => {
  const { asked, quiet } = recordFhirRequests(page);
  const path = await new PortalPage(page).launchAs(patient.id);
  const summary = new ChartView(page);
  // Patient, allergies, problems, prescriptions, statements, vitals, labs: all came with the page.
  await expect(summary.summary()).toHaveAttribute('data-fhir-server', String(summaryRequestPaths(patient.id).length));
  await expect(summary.section('problems')).toContainText(patient.problem);

  // The document as a browser loads it, before any script runs: the condition is already there,
  // and the page is never stored by a cache.
  const doc = await page.request.get(`${path}/portal`, { headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
  expect(doc.status()).toBe(200);
  expect(await doc.text()).toContain(patient.problem);
  expect(doc.headers()['cache-control']).toContain('no-store');
  // A client-side navigation renders into a running page whose views ask for themselves: nothing
  // is asked of the EHR for it, so no record data is in it.
  const navigation = await page.request.get(`${path}/portal`, { headers: { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty', rsc: '1' } });
  expect(navigation.status()).toBe(200);
  expect(navigation.headers()['content-type']).toContain('text/x-component');
  expect(await navigation.text()).not.toContain(patient.problem);
  // The device's first sync round (its downloads, and the consent directive, new to this
  // device): the page was judged under that same directive, so no view asks for its answers
  // again. Waited for until the browser has asked the EHR nothing for a second.
  await expect(page.locator('[data-sync-state][data-synced="true"]')).toHaveCount(1);
  await quiet();
  // The page's own requests (messages, appointments, sync) went out; none of the summary's.
  expect(asked.length).toBeGreaterThan(0);
  expect(asked.filter((p) => summaryRequestPaths(patient.id).includes(p))).toEqual([]);
  // Nothing asked it to change, so the summary is still the server's drawing: the browser has
  // composed none of it.
  await expect(summary.summary()).toHaveAttribute('data-drawn-by', 'server');
});

test('a patient who denies access gets a page that says so, and no session', async ({ page }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.deny();
  await expect(page.getByTestId('launch-error')).toHaveAttribute('data-error-code', 'authorization_denied');
  expect(new URL(page.url()).pathname).toBe('/redirect');
});

test('signing out ends the launch: the chart and the proxy refuse it afterwards', async ({ page }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(new ChartView(page).patientName()).toHaveText(patient.display);
  const portalUrl = page.url();
  const apiUrl = portalUrl.replace('/l/', '/api/l/').replace(/\/portal$/, `/fhir/Patient/${patient.id}`);
  expect((await page.request.get(apiUrl)).status()).toBe(200);
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  const after = await page.request.get(apiUrl);
  expect(after.status()).toBe(401);
  expect(JSON.stringify(await after.json())).toContain('launch-ended');
  await page.goto(portalUrl);
  await expect(page.getByTestId('launch-problem')).toHaveAttribute('data-reason', 'ended');
});

test('conformance: fhirclient completes an EHR launch against the sandbox and reads the Patient', async ({ page }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(FIXTURE_PRACTITIONERS[0]!.id, FIXTURE_PATIENTS[2]!.id, 'conformance');
  await expect(ehr.frame().getByTestId('conformance-patient')).toHaveText(FIXTURE_PATIENTS[2]!.display, { timeout: 30_000 });
  expect(ehr.frameUrl().startsWith(`${SANDBOX_ORIGIN}/conformance/`)).toBe(true);
});

test('a patient sees who has looked at their record', async ({ page, browser }) => {
  const clinician = await browser.newContext();
  const ehr = new EhrPage(await clinician.newPage());
  await ehr.launch(FIXTURE_PRACTITIONERS[1]!.id, patient.id);
  await expect(ehr.chart().section('allergies')).toContainText(patient.allergy);
  await clinician.close();

  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await new ChartView(page).settled(); // the summary has stopped growing, so the link stays put
  await page.getByTestId('access-history-link').click();
  await expect(page).toHaveURL(/\/portal\/access$/);
  // Named, never by id: the clinician's visit, then its steps in words.
  const visit = page.getByTestId('access-visit').filter({ has: page.getByTestId('access-visit-who').filter({ hasText: FIXTURE_PRACTITIONERS[1]!.display }) }).first();
  const items = visit.getByTestId('access-item');
  await expect(items.filter({ hasText: 'They looked through your allergies' }).first()).toBeVisible();
  await expect(items.filter({ hasText: 'They opened your record from the EHR' }).first()).toBeVisible();
  await expect(page.getByTestId('access-history')).not.toContainText(`Practitioner/${FIXTURE_PRACTITIONERS[1]!.id}`);
  await expect(page.getByTestId('access-history')).not.toContainText(FIXTURE_PATIENTS[0]!.display);
});
