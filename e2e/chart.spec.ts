import { expect, test, type Page } from '@playwright/test';
import type { Observation } from '@medplum/fhirtypes';
import { BIG_PATIENT_ID, buildSeed, FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS, MEDICATIONS, SYSTEMS } from '../fixtures';
import { summaryRequestPaths } from '../lib/fhir/compose/requests';
import { HOUSECALL_URL, SANDBOX_ORIGIN } from '../scripts/env';
import { seriousViolationsInApp, smallTouchTargets } from './pages/accessibility';
import { ChartDetail } from './pages/chart-detail';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { knobs } from './pages/sandbox-knobs';
import { recordFhirRequests } from './pages/fhir-requests';

/**
 * The clinician chart inside the sandbox EHR's frame, on a 360 px phone unless said otherwise.
 * Each test uses its own practitioner and patient pair where "last opened" matters, so the
 * tests do not depend on one another or on earlier runs (the e2e store persists).
 */
const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };
const [drQuinn, drSam, nurseRiley, drAlex] = FIXTURE_PRACTITIONERS;
const otto = FIXTURE_PATIENTS[3]!; // chronic kidney disease: creatinine above range
const june = FIXTURE_PATIENTS[6]!;
const hugo = FIXTURE_PATIENTS[9]!;
const CREATININE = `${SYSTEMS.loinc}|2160-0`;
const POTASSIUM = `${SYSTEMS.loinc}|2823-3`;
const SUMMARY_REQUEST_COUNT = 7; // Patient, allergies, problems, prescriptions, statements, vitals, labs

async function launchOnPhone(page: Page, practitionerId: string, patientId: string): Promise<EhrPage> {
  await page.setViewportSize(PHONE);
  const ehr = new EhrPage(page);
  await ehr.launch(practitionerId, patientId);
  await ehr.chart().settled();
  return ehr;
}

test('first screen on a phone: who, what needs attention, problems, medicines, allergies, vitals, with the page itself', async ({ page }) => {
  const ehr = await launchOnPhone(page, drQuinn!.id, otto.id);
  const chart = ehr.chart();
  // The page arrives with every answer of the summary (asked for on the server, through the
  // proxy's pipeline): the browser makes no request of its own before the first screen.
  await expect(chart.summary()).toHaveAttribute('data-fhir-server', String(SUMMARY_REQUEST_COUNT));
  await expect(chart.summary()).toHaveAttribute('data-fhir-requests', '0');
  // The sandbox EHR launch says need_patient_banner=false: the EHR shows the patient, we do not.
  await expect(chart.banner()).toHaveCount(0);
  await expect(chart.patientName()).toHaveText(otto.display);
  await expect(chart.section('attention').locator(`[data-code="${CREATININE}"]`)).toContainText(/high|critical/);
  await expect(chart.section('problems')).toContainText(otto.problem);
  await expect(chart.section('medications')).toContainText(MEDICATIONS.find((m) => m.id === 'med-004')!.display);
  await expect(chart.section('medications')).toContainText('Reported by the patient');
  await expect(chart.section('allergies')).toContainText(otto.allergy);
  await expect(chart.section('vitals')).toContainText('Blood pressure');
  await expect(chart.section('vitals').getByTestId('sparkline').first()).toBeVisible();
  for (const id of ['attention', 'problems', 'medications', 'allergies', 'vitals'] as const) {
    await expect(chart.section(id).getByTestId('fetched-at'), `${id} says how fresh it is`).toContainText('Checked');
  }
  // The primary actions are on screen without scrolling, and big enough for a thumb.
  // (Measured inside the app's frame: the EHR page around it may itself scroll.)
  for (const action of ['action-review-results', 'action-write-note']) {
    const box = await ehr.appFrame().evaluate((id) => {
      const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: r.height, viewport: window.innerHeight };
    }, action);
    expect(box.top, action).toBeGreaterThanOrEqual(0);
    expect(box.bottom, action).toBeLessThanOrEqual(box.viewport);
    expect(box.height, action).toBeGreaterThanOrEqual(44);
  }
  expect(await smallTouchTargets(ehr.appFrame())).toEqual([]);
  await page.getByTestId('ehr-frame').screenshot({ path: 'artifacts/chart-360.png' });
  await ehr.appFrame().evaluate(() => window.scrollTo(0, 560));
  await page.getByTestId('ehr-frame').screenshot({ path: 'artifacts/chart-360-scrolled.png' });
});

test('after its first sync round the chart asks the EHR for none of its first screen again', async ({ page }) => {
  const { asked, quiet } = recordFhirRequests(page);
  const ehr = await launchOnPhone(page, drSam!.id, otto.id);
  // The round asks for the consent directive, new to this window's store: the page was judged
  // under the same one, so nothing on screen is asked for again.
  await expect(ehr.frame().locator('[data-sync-state][data-synced="true"]')).toHaveCount(1);
  await quiet();
  expect(asked.filter((p) => summaryRequestPaths(otto.id).includes(p))).toEqual([]);
  await expect(ehr.chart().summary()).toHaveAttribute('data-fhir-requests', '0');
});

test('the first screen the server drew gives way to the live view when its answers must change: offline it says so, back online it shows the EHR’s change', async ({ page, request }) => {
  const ehr = await launchOnPhone(page, drAlex!.id, hugo.id);
  const summary = ehr.chart().summary();
  // Loaded as a document, the summary is the server's drawing: no composition code ran in the browser.
  await expect(summary).toHaveAttribute('data-drawn-by', 'server');
  const problems = ehr.chart().section('problems');
  const version = (await problems.getByTestId('source-line').first().textContent())?.match(/version (\w+)/)?.[1];
  expect(version).toBeTruthy();
  // The EHR changes the patient's problems behind the chart's back (conditions are read-only to Housecall).
  const conditions = await knobs.read<{ id: string }>(request, 'Condition', hugo.id);
  for (const c of conditions) expect((await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, { data: { resourceType: 'Condition', id: c.id } })).status()).toBe(200);
  // The connection goes: the live view takes over, asks again, and says the cards are the saved copy.
  await page.context().setOffline(true);
  await expect(summary).toHaveAttribute('data-drawn-by', 'browser');
  await expect(problems.getByTestId('fetched-at')).toHaveAttribute('data-offline', 'yes');
  await expect(problems.getByTestId('source-line').first()).toContainText(`version ${version}`);
  // It comes back: the cards show what the EHR holds now.
  await page.context().setOffline(false);
  await expect(problems.getByTestId('fetched-at')).not.toHaveAttribute('data-offline', 'yes');
  await expect(problems.getByTestId('source-line').first()).not.toContainText(`version ${version} `);
});

test('a result opens its history: trend with reference band, every value, and where it came from', async ({ page }) => {
  const ehr = await launchOnPhone(page, drQuinn!.id, otto.id);
  await ehr.chart().reviewResults().click();
  const detail = ehr.detail();
  await expect(detail.title()).toHaveText('Laboratory results');
  await detail.resultRows().filter({ hasText: 'Creatinine' }).getByRole('link').click();
  await expect.poll(() => new URL(ehr.frameUrl()).searchParams.get('code')).toBe(CREATININE);
  expect(new URL(ehr.frameUrl()).pathname).toMatch(/\/chart\/results$/);
  await expect(detail.title()).toHaveText(/Creatinine/);
  await expect(detail.trendImage()).toHaveAccessibleName('Creatinine trend');
  await expect(detail.trendImage()).toHaveAccessibleDescription(/5 values from .* Reference range 0\.74 to 1\.35 mg\/dL/);
  await expect(detail.referenceBand()).toHaveCount(1);
  await expect(detail.historyRows()).toHaveCount(5);
  await expect(detail.sourcePanel()).toContainText(/Sandbox EHR · version \w+ · updated (just now|\d+ \w+ ago)/);
  await expect(detail.sourcePanel()).toContainText('Observation/obs-004-');
  await expect(detail.loadOlder()).toHaveCount(0);
  expect(await smallTouchTargets(ehr.appFrame())).toEqual([]);
  await page.getByTestId('ehr-frame').screenshot({ path: 'artifacts/result-detail-360.png' });
  // The state is in the URL: a reload comes back to the same history.
  await ehr.reloadApp();
  await expect(detail.historyRows()).toHaveCount(5);
  await expect(detail.title()).toHaveText(/Creatinine/);
});

test(`the big patient's history pages through the proxy: 100 values first, older on request`, async ({ page }) => {
  const ehr = await launchOnPhone(page, drQuinn!.id, BIG_PATIENT_ID);
  await ehr.chart().section('attention').locator(`[data-code="${CREATININE}"]`).getByRole('link').click();
  const detail = ehr.detail();
  await expect(detail.historyRows()).toHaveCount(100);
  await expect(detail.historyCount()).toHaveText('Showing 100 of 720 values');
  await detail.loadOlder().click();
  await expect(detail.historyRows()).toHaveCount(200);
});

test('needs attention lists what arrived since this clinician last opened the chart, and only that', async ({ page, request }) => {
  const ehr = await launchOnPhone(page, drSam!.id, june.id);
  await expect(ehr.chart().summary()).toHaveAttribute('data-visit', 'recorded');
  // The lab sends a corrected, critical potassium for June after the visit.
  const seed = buildSeed();
  const potassium = seed.patients.find((p) => p.patient.id === june.id)!.resources
    .filter((r): r is Observation => r.resourceType === 'Observation' && r.code?.coding?.[0]?.code === '2823-3')
    .sort((a, b) => String(b.effectiveDateTime).localeCompare(String(a.effectiveDateTime)))[0]!;
  const edit = await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, {
    data: { resourceType: 'Observation', id: potassium.id, set: { status: 'corrected', valueQuantity: { value: 6.9, unit: 'mmol/L', system: SYSTEMS.ucum, code: 'mmol/L' }, interpretation: [{ coding: [{ system: SYSTEMS.interpretation, code: 'HH', display: 'Critical high' }] }] } },
  });
  expect(edit.status()).toBe(200);

  await ehr.launch(drSam!.id, june.id);
  const chart = ehr.chart();
  await chart.settled();
  await expect(chart.section('attention').getByTestId('attention-since')).toHaveAttribute('data-since', /^\d{4}-/);
  await expect(chart.attentionItems()).toHaveCount(1);
  await expect(chart.attentionItems().first()).toHaveAttribute('data-code', POTASSIUM);
  await expect(chart.attentionItems().first()).toContainText('6.9 mmol/L');
  await expect(chart.attentionItems().first().getByTestId('flag')).toHaveText(['new', 'critical']);
});

test('inside the EHR frame a reload keeps the open section and the scroll position, and the unfinished note survives a reload and a relaunch', async ({ page }) => {
  const ehr = await launchOnPhone(page, nurseRiley!.id, BIG_PATIENT_ID);
  const detail = ehr.detail();
  await ehr.chart().moreSections().getByRole('link', { name: 'Encounters' }).click();
  await expect(detail.items()).toHaveCount(50);
  const frame = ehr.appFrame();
  await frame.evaluate(() => window.scrollTo(0, 1800));
  // This Chromium refuses all storage to a cross-site frame; the history entry keeps the position.
  await expect.poll(() => frame.evaluate(() => (history.state as { housecallScroll?: number } | null)?.housecallScroll)).toBe(1800);
  const before = ehr.frameUrl();
  await frame.evaluate(() => setTimeout(() => location.reload(), 0));
  await expect(frame.locator('html')).toHaveAttribute('data-scroll-restored', 'done');
  expect(ehr.frameUrl()).toBe(before);
  expect(await frame.evaluate(() => Math.round(window.scrollY))).toBe(1800);

  await ehr.chart().writeNote().click();
  await detail.noteText().fill('Started in the frame.');
  // The frame keeps no browser storage; the draft is sealed on Housecall's server instead.
  await expect(detail.noteStatus()).toHaveAttribute('data-kept', 'server');
  await frame.evaluate(() => setTimeout(() => location.reload(), 0));
  await expect(detail.noteText()).toHaveValue('Started in the frame.');
  await expect(detail.noteStatus()).toContainText('still here after a reload or a relaunch');

  // A relaunch from the EHR (a new launch) finds the same clinician's draft for this patient.
  await ehr.launch(nurseRiley!.id, BIG_PATIENT_ID);
  await ehr.chart().writeNote().click();
  await expect(detail.noteText()).toHaveValue('Started in the frame.');
  await ehr.frame().getByTestId('note-discard').click();
  await expect(detail.noteText()).toHaveValue('');
});

test('in its own window an interrupted clinician comes back to the open section, the scroll position and the unfinished note', async ({ page, context }) => {
  await page.setViewportSize(PHONE);
  const ehr = new EhrPage(page);
  await ehr.launch(nurseRiley!.id, BIG_PATIENT_ID);
  // The same launch opened in a top-level window, as the "open in a new window" fallback does.
  const launchUrl = await page.getByTestId('ehr-frame').getAttribute('src');
  const own = await context.newPage();
  await own.setViewportSize(PHONE);
  await own.goto(launchUrl!);
  const chart = new ChartView(own);
  const detail = new ChartDetail(own);
  await chart.settled();
  await chart.moreSections().getByRole('link', { name: 'Encounters' }).click();
  await expect(detail.items()).toHaveCount(50);
  await own.evaluate(() => window.scrollTo(0, 1800));
  const launchId = new URL(own.url()).pathname.split('/')[2]!;
  await expect.poll(() => own.evaluate((id) => sessionStorage.getItem(`housecall:${id}:scroll:encounters`), launchId)).toBe('1800');
  const before = own.url();
  await own.reload();
  expect(own.url()).toBe(before);
  await expect(own.locator('html')).toHaveAttribute('data-scroll-restored', 'done');
  expect(await own.evaluate(() => Math.round(window.scrollY))).toBe(1800);

  await chart.writeNote().click();
  const note = 'Seen between rooms. Potassium trending up: recheck tomorrow. Ünïcödé ✓';
  await detail.noteText().fill(note);
  await expect(detail.noteStatus()).toHaveAttribute('data-kept', /^(session|server)$/);
  await own.reload();
  await expect(detail.noteText()).toHaveValue(note);
  await expect(detail.noteStatus()).toContainText('Not sent to the EHR yet');
  const stored = await own.evaluate((id) => JSON.parse(sessionStorage.getItem(`housecall:${id}:note-draft`) ?? 'null'), launchId);
  expect(stored).toMatchObject({ resourceType: 'DocumentReference', docStatus: 'preliminary', subject: { reference: `Patient/${BIG_PATIENT_ID}` } });

  // Signing out forgets what this tab kept for the launch.
  await own.getByTestId('sign-out').click();
  await expect(own.getByTestId('signed-out')).toBeVisible();
  expect(await own.evaluate((id) => Object.keys(sessionStorage).filter((k) => k.includes(id)), launchId)).toEqual([]);
});

test('inactive and entered-in-error entries are hidden, and shown on request', async ({ page }) => {
  const ehr = await launchOnPhone(page, drAlex!.id, FIXTURE_PATIENTS[1]!.id); // pat-002 has an entered-in-error condition
  await ehr.chart().openSection('problems');
  const detail = ehr.detail();
  await expect(detail.items().first()).toBeVisible();
  await expect(detail.items().and(page.locator('[data-state="entered-in-error"]'))).toHaveCount(0);
  await detail.inactiveToggle().click();
  await expect.poll(() => new URL(ehr.frameUrl()).searchParams.get('inactive')).toBe('1');
  await expect(ehr.frame().locator('[data-testid="detail-item"][data-state="entered-in-error"]')).toHaveCount(1);
  await expect(ehr.frame().locator('[data-testid="detail-item"][data-state="inactive"]')).not.toHaveCount(0);
  await ehr.frame().getByTestId('detail-item').first().locator('summary').click();
  await expect(detail.sourcePanel()).toContainText('Condition/cond-002-');
});

test('keyboard only: the primary action is reachable and opens the note', async ({ page }) => {
  const ehr = await launchOnPhone(page, drQuinn!.id, hugo.id);
  await ehr.frame().getByTestId('source-system').click();
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await ehr.appFrame().evaluate(() => document.activeElement?.getAttribute('data-testid') === 'action-write-note');
  }
  expect(found).toBe(true);
  await page.keyboard.press('Enter');
  await expect(ehr.detail().title()).toHaveText('Write note');
});

test('the accessibility check sees inside the frame (it can fail)', async ({ page }) => {
  const ehr = await launchOnPhone(page, drQuinn!.id, hugo.id);
  await ehr.appFrame().evaluate(() => {
    const img = document.createElement('img');
    img.src = '/missing.png';
    img.id = 'planted';
    // On <body>, which React never replaces: a re-render of the chart may drop a node planted
    // inside <main> before axe gets to it (seen once under load).
    document.body.append(img);
  });
  const found = await seriousViolationsInApp(page);
  await expect(ehr.appFrame().locator('#planted')).toHaveCount(1);
  expect(found.map((f) => f.id)).toContain('image-alt');
});

for (const [name, viewport] of [['360 px', PHONE], ['1280 px', DESKTOP]] as const) {
  test(`no serious or critical accessibility violations at ${name}: summary, results, a history, a list with hidden entries, the note`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const ehr = new EhrPage(page);
    await ehr.launch(drQuinn!.id, FIXTURE_PATIENTS[1]!.id);
    await ehr.chart().settled();
    const base = `${HOUSECALL_URL}${new URL(ehr.frameUrl()).pathname}`;
    const detail = ehr.detail();
    const views: [string, string, () => Promise<void>][] = [
      ['summary', '', async () => {}],
      ['laboratory results', '/results', () => expect(detail.resultRows().first()).toBeVisible()],
      ['result history', `/results?code=${encodeURIComponent(CREATININE)}`, () => expect(detail.trendChart()).toBeVisible()],
      ['vital sign history', `/vitals?code=${encodeURIComponent(`${SYSTEMS.loinc}|85354-9`)}`, () => expect(detail.trendChart()).toBeVisible()],
      ['problems with hidden entries', '/problems?inactive=1', () => expect(detail.items().first()).toBeVisible()],
      ['note', '/note', () => expect(detail.noteText()).toBeEnabled()],
    ];
    for (const [label, path, ready] of views) {
      if (path) await ehr.appFrame().goto(base + path);
      await ready();
      expect(await seriousViolationsInApp(page), label).toEqual([]);
      if (viewport === DESKTOP && (label === 'summary' || label === 'result history')) await page.getByTestId('ehr-frame').screenshot({ path: `artifacts/chart-1280-${label.replace(' ', '-')}.png` });
    }
  });
}

test('a section whose scope was not granted says so in place while the rest renders', async ({ page, request }) => {
  // The EHR grants everything but patient-reported medications (MedicationStatement).
  await knobs.set(request, { narrowScopes: ['patient/MedicationStatement.rs'] });
  try {
    const ehr = await launchOnPhone(page, drQuinn!.id, FIXTURE_PATIENTS[4]!.id);
    const chart = ehr.chart();
    const meds = chart.section('medications');
    await expect(meds.getByTestId('section-outcome')).toHaveAttribute('data-outcome', 'scope-not-granted');
    await expect(meds.getByTestId('section-outcome')).toContainText('Patient-reported medications: Not shared with Housecall');
    // The prescriptions in the same card, and every other card, still render.
    await expect(meds.getByTestId('section-item').first()).toBeVisible();
    await expect(meds).not.toContainText('Reported by the patient');
    await expect(chart.section('problems')).toContainText(FIXTURE_PATIENTS[4]!.problem);
    await expect(chart.section('allergies')).toContainText(FIXTURE_PATIENTS[4]!.allergy);
    await expect(chart.summary()).toHaveAttribute('data-fhir-round-trips', '1');
  } finally {
    await knobs.reset(request);
  }
});

test('a resource type whose requests fail shows the failure in place while the rest renders', async ({ page, request }) => {
  await knobs.set(request, { fhirError: { status: 500, resourceTypes: ['Condition'] } });
  try {
    const ehr = await launchOnPhone(page, drQuinn!.id, FIXTURE_PATIENTS[5]!.id);
    const chart = ehr.chart();
    await expect(chart.section('problems').getByTestId('section-outcome')).toHaveAttribute('data-outcome', 'upstream-error');
    await expect(chart.section('problems')).toContainText('The rest of the chart is still current');
    await expect(chart.section('allergies')).toContainText(FIXTURE_PATIENTS[5]!.allergy);
    await expect(chart.section('vitals')).toContainText('Blood pressure');
    // The detail view says the same, in place.
    await chart.openSection('problems');
    await expect(ehr.detail().outcomes()).toHaveAttribute('data-outcome', 'upstream-error');
  } finally {
    await knobs.reset(request);
  }
});
