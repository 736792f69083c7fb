import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { HOUSECALL_URL } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';
import { knobs } from './pages/sandbox-knobs';

const [ada, milo] = FIXTURE_PATIENTS;
const [doctor] = FIXTURE_PRACTITIONERS;

test('a practitioner launches Housecall inside the EHR and sees the chosen patient', async ({ page }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor!.id, ada!.id);
  const chart = ehr.chart();
  await expect(chart.section('allergies')).toContainText(ada!.allergy);
  await expect(chart.section('problems')).toContainText(ada!.problem);
  await expect(chart.patientName()).toHaveText(ada!.display);
  // Every value says where it came from.
  await expect(chart.section('allergies').getByTestId('source-line').first()).toContainText('Sandbox EHR · version');
  // No authorization code or state is left in the framed URL.
  const url = new URL(ehr.frameUrl());
  expect(url.origin).toBe(new URL(HOUSECALL_URL).origin);
  expect(url.pathname).toMatch(/^\/l\/[A-Za-z0-9_-]+\/chart$/);
  expect(url.search).toBe('');
});

test('an EHR that writes its FHIR base with a trailing slash, and wants it back as aud exactly, still launches Housecall', async ({ page, request }) => {
  await knobs.set(request, { issTrailingSlash: true });
  try {
    const ehr = new EhrPage(page);
    await ehr.launch(doctor!.id, milo!.id);
    await expect(ehr.chart().patientName()).toHaveText(milo!.display);
    await expect(ehr.chart().section('problems')).toContainText(milo!.problem);
  } finally {
    await knobs.reset(request);
  }
});

test('an unknown issuer gets an error page, no redirect and no cookie', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const response = await page.goto(`/launch?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=abc`);
  expect(response?.status()).toBe(400);
  expect(response?.headers()['set-cookie']).toBeUndefined();
  expect(response?.headers()['cache-control']).toBe('no-store');
  await expect(page.getByTestId('launch-error')).toHaveAttribute('data-error-code', 'unknown_issuer');
  expect(new URL(page.url()).pathname).toBe('/launch');
  expect(requests.filter((u) => !u.startsWith(HOUSECALL_URL))).toEqual([]);
});

test('two launches for two patients in one browser each keep their own patient after a reload', async ({ context }) => {
  const first = new EhrPage(await context.newPage());
  const second = new EhrPage(await context.newPage());
  await first.launch(doctor!.id, ada!.id);
  await expect(first.chart().patientName()).toHaveText(ada!.display);
  await second.launch(doctor!.id, milo!.id);
  await expect(second.chart().patientName()).toHaveText(milo!.display);

  // Reload each framed chart in place: the launch id in its URL keeps it on its own patient.
  for (const [ehr, patient] of [[first, ada!], [second, milo!]] as const) {
    await ehr.reloadApp();
    await expect(ehr.chart().patientName()).toHaveText(patient.display);
    await expect(ehr.chart().section('allergies')).toContainText(patient.allergy);
  }
});

test('a chart URL opened in another browser shows nothing of the patient', async ({ page, browser }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor!.id, ada!.id);
  await expect(ehr.chart().patientName()).toHaveText(ada!.display);
  const chartUrl = ehr.frameUrl();
  const other = await browser.newContext();
  const stranger = await other.newPage();
  await stranger.goto(chartUrl);
  await expect(stranger.getByTestId('launch-problem')).toBeVisible();
  await expect(stranger.locator('body')).not.toContainText(ada!.display);
  const api = await stranger.request.get(chartUrl.replace('/l/', '/api/l/').replace(/\/chart$/, `/fhir/Patient/${ada!.id}`));
  expect(api.status()).toBe(401);
  expect(JSON.stringify(await api.json())).toContain('not-authenticated');
  await other.close();
});
