import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

const ada = FIXTURE_PATIENTS[0]!;
const doctor = FIXTURE_PRACTITIONERS[0]!;

test.beforeEach(async ({ request }) => knobs.reset(request));
test.afterEach(async ({ request }) => knobs.reset(request));

test('an expired access token is refreshed once, with the rotated refresh token, and the chart keeps working', async ({ page, request }) => {
  await knobs.set(request, { accessTokenTtlSeconds: 3 }); // run out by the reload below: it needs a refresh
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  await page.waitForTimeout(3_500);
  await ehr.reloadApp();
  await expect(ehr.chart().section('problems')).toContainText(ada.problem);
  const stats = await knobs.stats(request);
  expect(stats.tokenRequests.refresh_token ?? 0).toBeGreaterThanOrEqual(1);
  expect(stats.rotatedRefreshTokenReuse).toBe(0);
});

test('a refused refresh ends the launch with a relaunch message and no retry loop', async ({ page, request }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  // The EHR rejects the token once (as if it expired early) and then refuses the refresh:
  // no timing involved, unlike waiting out a short token lifetime.
  await ehr.chart().settled();
  await knobs.set(request, { fhir401: { count: 1 }, rejectRefresh: { count: 5 } });
  await ehr.reloadApp();
  await expect(ehr.frame().getByTestId('session-ended')).toContainText('Relaunch Housecall');
  await ehr.reloadApp();
  await expect(ehr.frame().getByTestId('launch-problem')).toHaveAttribute('data-reason', 'ended');
  await expect(ehr.frame().getByTestId('launch-problem')).toContainText('Relaunch Housecall from your EHR');
  expect((await knobs.stats(request)).tokenRequests.refresh_token).toBe(1);
});

test('an EHR answering 401 gets one refresh and the request retried', async ({ page, request }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  // Every request of the first load must have answered before the fault is armed, or one of
  // them takes the 401 and its refresh races the reload.
  await ehr.chart().settled();
  await knobs.set(request, { fhir401: { count: 1 } });
  await ehr.reloadApp();
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  await expect(ehr.chart().section('problems')).toContainText(ada.problem);
  await ehr.chart().settled();
  const stats = await knobs.stats(request);
  expect(stats.faults.fhir401).toBe(1);
  expect(stats.tokenRequests.refresh_token).toBe(1);
});

test('scopes granted narrower than requested: the section says it was not shared, the rest renders', async ({ page, request }) => {
  await knobs.set(request, { narrowScopes: ['patient/Condition.rs', 'patient/Condition.read'] });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('problems').getByTestId('section-outcome')).toHaveAttribute('data-outcome', 'scope-not-granted');
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
});

/** Every resource scope the sandbox issuer's launches of `workflow` ask for (smart-config.json), so a knob can take them all out of the grant. */
function everyScope(workflow: 'patient' | 'clinician'): string[] {
  const issuer = (JSON.parse(readFileSync('smart-config.json', 'utf8')) as { issuers: { id: string; scopes: { patient: string[]; clinician: string[]; portalParts: Record<string, string[]> } }[] }).issuers.find((i) => i.id === 'sandbox')!;
  return workflow === 'clinician' ? issuer.scopes.clinician : [...issuer.scopes.patient, ...Object.values(issuer.scopes.portalParts).flat()];
}

test('a patient who shares nothing of their record at the EHR gets one page that says so and lets them sign in again; nothing is asked of the EHR that the grant refuses', async ({ page, request }) => {
  await knobs.set(request, { narrowScopes: everyScope('patient') });
  const asked: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (/^\/api\/l\/[^/]+\/fhir\//.test(path)) asked.push(path.replace(/^\/api\/l\/[^/]+\/fhir\//, ''));
  });
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(FIXTURE_PATIENTS[5]!.id);
  await portal.approve();
  const nothing = page.getByTestId('nothing-shared');
  await expect(nothing).toHaveAttribute('data-audience', 'patient');
  await expect(nothing.getByRole('heading', { level: 1 })).toHaveText('Your record was not shared with Housecall');
  await expect(page.getByTestId('chart-summary')).toHaveCount(0);
  // Asking again is the one thing to do: the portal's parts, none of them shared, are not offered.
  await expect(page.getByTestId('portal-nav')).toHaveCount(0);
  // Sync's first round has run (the indicator has settled) and asked for no part of the record.
  await expect(page.getByTestId('sync-indicator')).toHaveText('All changes saved');
  await page.waitForTimeout(1_000);
  expect(asked.filter((p) => p !== 'metadata')).toEqual([]);

  // Allowed this time, the same person sees their summary.
  await knobs.reset(request);
  await nothing.getByTestId('ask-again').click();
  await portal.signInAs(FIXTURE_PATIENTS[5]!.id);
  await portal.approve();
  await expect(page.getByTestId('chart-summary')).toBeVisible();
  await expect(page.getByTestId('section-allergies')).toContainText(FIXTURE_PATIENTS[5]!.allergy);
  await expect(page.getByTestId('portal-nav')).toBeVisible();
});

test('a clinician launch granted nothing of the patient\'s record shows one page that says so, not a chart of failed sections', async ({ page, request }) => {
  await knobs.set(request, { narrowScopes: everyScope('clinician').filter((s) => s.startsWith('patient/')) });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.frame().getByTestId('nothing-shared')).toHaveAttribute('data-audience', 'clinician');
  await expect(ehr.frame().getByTestId('nothing-shared')).toContainText('Launch Housecall again from the EHR');
});

test('an allergy search the EHR answers with its entries left out (Oracle Health’s outcome entry) never reads as “No known allergies”', async ({ page, browser, request }) => {
  await knobs.set(request, { withheldSearch: { resourceTypes: ['AllergyIntolerance'] } });
  const patient = FIXTURE_PATIENTS[14]!;
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  const allergies = page.getByTestId('section-allergies');
  await expect(allergies.getByTestId('section-partial')).toHaveAttribute('data-partial', 'withheld');
  await expect(allergies).not.toContainText('No known allergies');
  await expect(page.getByTestId('patient-banner')).toContainText(patient.display);
  await expect(page.getByTestId('patient-banner')).not.toContainText(/allerg/i);

  const clinician = await browser.newContext();
  const ehr = new EhrPage(await clinician.newPage());
  await ehr.launch(doctor.id, patient.id);
  await expect(ehr.chart().section('allergies').getByTestId('section-partial')).toContainText('may not be complete');
  await expect(ehr.chart().section('allergies')).not.toContainText('No known allergies');
  await ehr.chart().openSection('allergies');
  await expect(ehr.frame().getByTestId('detail-allergies').getByTestId('section-partial')).toBeVisible();
  await expect(ehr.frame().getByTestId('detail-allergies')).not.toContainText('No known allergies');
  expect((await knobs.stats(request)).faults.withheldSearch).toBeGreaterThanOrEqual(2);
  await clinician.close();
});

test('results the EHR left out are said to be missing, never “No test results yet” or “No vital signs recorded”', async ({ page, browser, request }) => {
  await knobs.set(request, { withheldSearch: { resourceTypes: ['Observation'] } });
  const patient = FIXTURE_PATIENTS[13]!;
  const base = await new PortalPage(page).launchAs(patient.id);
  await expect(page.getByTestId('section-vitals').getByTestId('section-partial')).toHaveAttribute('data-partial', 'withheld');
  await expect(page.getByTestId('section-vitals')).not.toContainText('No vital signs recorded');
  await expect(page.getByTestId('portal-attention').getByTestId('attention-gap')).toHaveText(['The EHR left some of your test results out, so new ones may be missing here.']);
  await page.goto(`${base}/portal/results`);
  await expect(page.getByTestId('portal-results').getByTestId('section-partial')).toBeVisible();
  await expect(page.getByTestId('results-empty')).toHaveCount(0);

  const clinician = await browser.newContext();
  const ehr = new EhrPage(await clinician.newPage());
  await ehr.launch(doctor.id, patient.id);
  await expect(ehr.chart().section('vitals').getByTestId('section-partial')).toBeVisible();
  await ehr.appFrame().goto(`${new URL(ehr.frameUrl()).origin}${new URL(ehr.frameUrl()).pathname}/results`);
  await expect(ehr.frame().getByTestId('detail-results').getByTestId('section-partial')).toBeVisible();
  await expect(ehr.frame().getByTestId('detail-results')).not.toContainText('No laboratory results recorded');
  await clinician.close();
});

test('“For you now” says which checks failed instead of “Nothing needs you right now”', async ({ page, request }) => {
  await knobs.set(request, { fhirError: { status: 500, resourceTypes: ['Communication', 'Observation'] } });
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(FIXTURE_PATIENTS[5]!.id);
  await portal.approve();
  const attention = page.getByTestId('portal-attention');
  await expect(attention.getByTestId('attention-gap')).toHaveText(['Housecall could not check for new test results just now.', 'Housecall could not check for new messages just now.'], { timeout: 30_000 });
  await expect(attention.getByTestId('attention-empty')).toHaveText('Nothing else needs you right now.');
  await expect(page.getByTestId('section-allergies')).toContainText(FIXTURE_PATIENTS[5]!.allergy);
});

test('a patient who does not share their own details is told so, not that the record could not be loaded, and sees the rest', async ({ page, request }) => {
  await knobs.set(request, { narrowScopes: ['patient/Patient.rus'] });
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(FIXTURE_PATIENTS[5]!.id);
  await portal.approve();
  await expect(page.getByTestId('patient-outcome')).toHaveText('Your details: Not shared with Housecall for this launch.');
  await expect(page.getByTestId('section-allergies')).toContainText(FIXTURE_PATIENTS[5]!.allergy);
});

test('a token response without patient context gets the "no patient" page', async ({ page, request }) => {
  await knobs.set(request, { omitPatient: true });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.frame().getByTestId('launch-error')).toHaveAttribute('data-error-code', 'no_patient_context');
});

test.describe('failures before a launch exists get a page with a reference', () => {
  for (const [label, patch, code] of [
    ['discovery answering 500', { discovery: { status: 500 } }, 'discovery_failed'],
    ['discovery answering HTML', { discovery: { body: '<html>maintenance</html>', contentType: 'text/html' } }, 'discovery_failed'],
    ['the token endpoint answering 500', { tokenEndpoint: { status: 500 } }, 'token_exchange_failed'],
    ['the token endpoint refusing the client (401 invalid_client)', { tokenEndpoint: { status: 401 } }, 'client_rejected'],
    ['the client being rejected', { rejectClient: true }, null],
  ] as const) {
    test(label, async ({ page, request }) => {
      await knobs.set(request, patch);
      const ehr = new EhrPage(page);
      await ehr.launch(doctor.id, ada.id);
      if (code) {
        await expect(ehr.frame().getByTestId('launch-error')).toHaveAttribute('data-error-code', code);
        await expect(ehr.frame().getByTestId('correlation-id')).toHaveText(/^[0-9a-f]{8}$/);
      } else {
        // The EHR refuses the client before sending the browser back: Housecall never sees a callback.
        await expect(ehr.frame().getByTestId('oauth-error')).toHaveText('invalid_client');
        await expect(ehr.frame().getByTestId('chart-summary')).toHaveCount(0);
      }
    });
  }
});

test('a hostile error_description is shown as text', async ({ page, request }) => {
  const hostile = '<img src=x onerror="document.title=\'pwned\'">Denied';
  await knobs.set(request, { denyWithDescription: hostile });
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await expect(page.getByTestId('launch-error')).toHaveAttribute('data-error-code', 'authorization_denied');
  await expect(page.getByTestId('error-detail')).toHaveText(hostile);
  expect(await page.title()).not.toBe('pwned');
  expect(await page.locator('img').count()).toBe(0);
});

test('metrics count launches, refreshes and proxy requests by issuer and outcome, with no patient in any label', async ({ page, request }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  const text = await (await request.get('/api/metrics')).text();
  expect(text).toMatch(/housecall_launches_total\{issuer="sandbox",outcome="completed"\} [1-9]/);
  expect(text).toMatch(/housecall_proxy_duration_seconds_count\{interaction="search",resource_type="AllergyIntolerance",outcome="http-200"\} [1-9]/);
  expect(text).not.toContain(ada.id);
  expect(text).not.toContain(ada.family);
});
