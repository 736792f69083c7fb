import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PRACTITIONERS, LONG_RECORD_PATIENT_ID, MESSY_PATIENTS, SYSTEMS, VENDOR_LAB_TIME, VENDOR_SHAPED_OLD_NAME, VENDOR_SHAPED_PATIENT_ID, buildSeed } from '../fixtures';
import { HOUSECALL_URL } from '../scripts/env';
import { seriousViolationsInApp } from './pages/accessibility';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

/**
 * Issue 13: data shaped like real exports (fixtures/messy.ts) reads as a clinician would, on a
 * 360 px phone: whole blood pressures with systolic first, values at clinical precision, units
 * as people write them, practitioners by name (never Type/id), and no serious axe finding.
 */
const PHONE = { width: 360, height: 780 };
const vera = MESSY_PATIENTS.find((p) => p.id === 'pat-030')!;
const kai = MESSY_PATIENTS.find((p) => p.id === LONG_RECORD_PATIENT_ID)!;
const rosa = MESSY_PATIENTS.find((p) => p.id === VENDOR_SHAPED_PATIENT_ID)!;
const byId = (id: string) => FIXTURE_PRACTITIONERS.find((p) => p.id === id)!;
const BP = `${SYSTEMS.loinc}|85354-9`;
const loinc = (code: string) => `${SYSTEMS.loinc}|${code}`;
/** What a clinician must never have to decode. */
const UNDECODED = /mm\[Hg\]|\bCel\b|\{score\}|\{INR\}|10\*3|(Practitioner|Organization|Location)\/[A-Za-z0-9]/;

async function launch(page: Page, practitionerId: string, patientId: string): Promise<{ ehr: EhrPage; base: string }> {
  await page.setViewportSize(PHONE);
  const ehr = new EhrPage(page);
  await ehr.launch(practitionerId, patientId);
  await ehr.chart().settled();
  return { ehr, base: `${HOUSECALL_URL}${new URL(ehr.frameUrl()).pathname}` };
}

function systolicFirst(text: string): void {
  const m = /^(\d{2,3})\/(\d{2,3}) mmHg$/.exec(text);
  expect(m, text).not.toBeNull();
  expect(Number(m![1])).toBeGreaterThan(Number(m![2]));
}

test('the chart summary reads an export: whole blood pressure systolic first, clinical precision, human units', async ({ page }) => {
  const { ehr } = await launch(page, vera.practitionerId, vera.id);
  const chart = ehr.chart();
  systolicFirst((await chart.seriesValue('vitals', BP).textContent()) ?? '');
  await expect(chart.seriesValue('vitals', loinc('8867-4'))).toHaveText(/^\d{2,3}\/min$/);
  await expect(chart.seriesValue('vitals', loinc('8310-5'))).toHaveText(/^\d{2}\.\d °C$/);
  await expect(chart.seriesValue('vitals', loinc('29463-7'))).toHaveText(/^\d{2,3}\.\d kg$/);
  await expect(chart.seriesValue('vitals', loinc('8302-2'))).toHaveText('165.3 cm');
  await expect(chart.seriesValue('vitals', loinc('39156-5'))).toHaveText('27.9 kg/m²');
  await expect(chart.seriesValue('vitals', loinc('59408-5'))).toHaveText('97%');
  await expect(chart.section('vitals')).not.toContainText(UNDECODED);
  // A prescription whose dosage came in parts with no words says it in words.
  await expect(chart.section('medications').getByTestId('section-item').filter({ hasText: '1 dose, once a day' }).first()).toBeVisible();
  expect(await seriousViolationsInApp(page)).toEqual([]);
});

test('the results page: human units, precision, coded, absent and partially ranged results, uncategorized scores', async ({ page }) => {
  const { ehr, base } = await launch(page, vera.practitionerId, vera.id);
  await ehr.appFrame().goto(`${base}/results`);
  const detail = ehr.detail();
  await expect(detail.resultValue(loinc('6690-2'))).toHaveText(/^\d+(\.\d+)? ×10³\/µL$/);
  await expect(detail.resultValue(loinc('777-3'))).toHaveText('251.8 ×10³/µL');
  await expect(detail.resultValue(loinc('18262-6'))).toHaveText('131.5 mg/dL');
  await expect(ehr.frame().locator(`[data-testid="result-row"][data-code="${loinc('18262-6')}"]`).getByTestId('flag')).toHaveText('high');
  await expect(detail.resultValue(loinc('2093-3'))).toHaveText('No value (specimen hemolysed)');
  await expect(detail.resultValue(loinc('5792-7'))).toHaveText('Negative');
  await expect(detail.resultValue(loinc('6301-6'))).toHaveText('1.106');
  await expect(detail.resultValue('text:urine appearance')).toHaveText('Cloudy');
  await expect(detail.otherObservations()).toContainText('1.106');
  await expect(ehr.frame().locator('body')).not.toContainText(UNDECODED);
  expect(await seriousViolationsInApp(page)).toEqual([]);
});

test('a blood-pressure history: systolic first, a missing diastolic said in words, the value as sent in the source, the performer by name', async ({ page }) => {
  const { ehr, base } = await launch(page, vera.practitionerId, vera.id);
  await ehr.appFrame().goto(`${base}/vitals?code=${encodeURIComponent(BP)}`);
  const detail = ehr.detail();
  await expect(detail.trendChart()).toBeVisible();
  systolicFirst((await detail.latestText().textContent()) ?? '');
  await expect(detail.historyValues().filter({ hasText: 'diastolic not recorded' })).toHaveText(['systolic 132 mmHg, diastolic not recorded (not performed)']);
  for (const text of await detail.historyValues().allTextContents()) if (!text.includes('not recorded')) systolicFirst(text);
  await expect(detail.sourceValue()).toContainText(/Diastolic blood pressure \d+\.\d{5,} mm\[Hg\]; Systolic blood pressure \d+\.\d{5,} mm\[Hg\]/);
  await expect(detail.performer()).toHaveText(`By ${byId('prac-003').display}`);
  expect(await seriousViolationsInApp(page)).toEqual([]);
});

test('encounters name their practitioner, place and organization from the EHR though the export gives only references', async ({ page }) => {
  const { ehr, base } = await launch(page, vera.practitionerId, vera.id);
  await ehr.appFrame().goto(`${base}/encounters`);
  const items = ehr.detail().items();
  await expect(items.first()).toContainText(`Seen by ${byId(vera.practitionerId).display} · at Sandbox Clinic, second floor (fictional) · Sandbox General Hospital (fictional)`);
  await expect(ehr.frame().locator('body')).not.toContainText(UNDECODED);
  expect(await seriousViolationsInApp(page)).toEqual([]);
});

test.describe('without the scope to read practitioners', () => {
  test.afterEach(async ({ request }) => {
    await knobs.reset(request);
  });

  test('encounters and results say in words who it was, never Practitioner/id', async ({ page, request }) => {
    await knobs.set(request, { narrowScopes: ['user/Practitioner.rs'] });
    const { ehr, base } = await launch(page, vera.practitionerId, vera.id);
    await ehr.appFrame().goto(`${base}/encounters`);
    await expect(ehr.detail().items().first()).toContainText('Seen by a clinician, name not available · at Sandbox Clinic, second floor (fictional)');
    await ehr.appFrame().goto(`${base}/vitals?code=${encodeURIComponent(BP)}`);
    await expect(ehr.detail().performer()).toHaveText('By a clinician, name not available');
    // (The source panel shows the value as sent, UCUM code and all, on purpose: only names are checked here.)
    await expect(ehr.frame().locator('body')).not.toContainText(/(Practitioner|Organization|Location)\/[A-Za-z0-9]/);
  });
});

test(`a record of several hundred resources under 64-character ids (${LONG_RECORD_PATIENT_ID}) opens, with names`, async ({ page }) => {
  const { ehr, base } = await launch(page, kai.practitionerId, kai.id);
  systolicFirst((await ehr.chart().seriesValue('vitals', BP).textContent()) ?? '');
  await ehr.appFrame().goto(`${base}/encounters`);
  await expect(ehr.detail().items()).toHaveCount(40);
  await expect(ehr.detail().items().first()).toContainText(`Seen by ${byId(kai.practitionerId).display}`);
  await ehr.appFrame().goto(`${base}/vitals?code=${encodeURIComponent(BP)}`);
  await expect(ehr.detail().historyRows()).toHaveCount(41); // a visit each month, and one old reading without its diastolic
  await expect(ehr.detail().sourcePanel()).toContainText(/Observation\/[0-9a-f]{64}/);
  expect(await seriousViolationsInApp(page)).toEqual([]);
});

test.describe('an EHR style too faint to read', () => {
  test.afterEach(async ({ request }) => {
    await knobs.reset(request);
  });

  test('is not applied where it would cost legibility; axe finds no contrast problem', async ({ page, request }) => {
    await knobs.set(request, { lowContrastStyle: true });
    const { ehr } = await launch(page, vera.practitionerId, vera.id);
    const colours = await ehr.appFrame().evaluate(() => {
      const root = document.querySelector('[data-testid="styled-root"]') as HTMLElement;
      const link = root.querySelector('[data-testid="section-open"]') as HTMLElement;
      // The EHR's values arrive as custom properties in the page's nonce'd style element (CSP).
      const sheet = document.querySelector('[data-testid="smart-style"]')?.textContent ?? '';
      return { text: getComputedStyle(root).color, bg: getComputedStyle(root).backgroundColor, link: getComputedStyle(link).color, sheet };
    });
    // The style was loaded (its radius and font apply), its three colours were not.
    expect(colours.sheet).toContain('--hc-radius');
    expect(colours.sheet).not.toMatch(/--hc-(text|bg|accent)|#c3c8cf|#a9c7ee|#9aa3ad/);
    expect(colours.text).not.toBe('rgb(195, 200, 207)');
    expect(colours.link).not.toBe('rgb(169, 199, 238)');
    expect(colours.bg).not.toBe('rgb(154, 163, 173)');
    expect(await seriousViolationsInApp(page)).toEqual([]);
  });
});

test(`a vendor-shaped record (${VENDOR_SHAPED_PATIENT_ID}): the banner names the patient by the name in use with the MRN, and no known allergies is not an allergy`, async ({ page }) => {
  await page.setViewportSize(PHONE);
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(rosa.id);
  await portal.approve();
  const chart = new ChartView(page);
  await expect(chart.patientName()).toHaveText(rosa.display);
  await expect(chart.banner()).toContainText(`MRN ${rosa.mrn}`);
  await expect(chart.banner()).toContainText('No known allergies');
  await expect(chart.banner()).not.toContainText(/Priorname|CEID|EPI|MYCHARTLOGIN/);
  await expect(chart.section('allergies')).toContainText('No known allergies recorded.');
  await expect(chart.section('allergies')).not.toContainText('active');
  await expect(chart.section('problems').filter({ hasText: rosa.problem })).toContainText('Since childhood');
  await expect(page.locator('body')).not.toContainText(VENDOR_SHAPED_OLD_NAME);
  expect(await seriousViolationsInApp(page)).toEqual([]);
});

test(`a vendor-shaped record (${VENDOR_SHAPED_PATIENT_ID}): a critical result after a local code or in words alone, a limit past the range and a typed critical range are flagged`, async ({ page }) => {
  const { ehr, base } = await launch(page, rosa.practitionerId, rosa.id);
  const glucose = ehr.chart().attentionItems().filter({ hasText: 'Glucose [Mass/volume] in Blood' });
  await expect(glucose.locator('[data-testid="flag"][data-flag="critical"]')).toBeVisible();
  // Judged critical by the lab only in its own code and in words ("Critical High").
  const troponin = ehr.chart().attentionItems().filter({ hasText: 'Troponin I' });
  await expect(troponin.locator('[data-testid="flag"][data-flag="critical"]')).toBeVisible();
  // Vital signs coded Epic's way (flowsheet row, then "Vital signs", then their LOINC) are grouped by that LOINC code, and their history opens.
  systolicFirst((await ehr.chart().seriesValue('vitals', BP).textContent()) ?? '');
  await ehr.appFrame().goto(`${base}/vitals?code=${encodeURIComponent(BP)}`);
  await expect(ehr.detail().historyRows()).toHaveCount(4); // a visit each, and one old reading without its diastolic
  await ehr.appFrame().goto(`${base}/results`);
  const flagOf = (code: string) => ehr.frame().locator(`[data-testid="result-row"][data-code="${loinc(code)}"]`).getByTestId('flag');
  await expect(ehr.detail().resultValue(loinc('1975-2'))).toHaveText('>20 mg/dL');
  await expect(flagOf('1975-2')).toHaveText('high');
  await expect(flagOf('2823-3')).toHaveText('high');
  await expect(flagOf('2339-0')).toHaveAttribute('data-flag', 'critical');
  await expect(flagOf('10839-9')).toHaveAttribute('data-flag', 'critical');
});

test.describe('a clinician in New York', () => {
  test.use({ timezoneId: 'America/New_York' });

  test(`files a result sent in UTC after midnight under the evening it was drawn (${VENDOR_SHAPED_PATIENT_ID})`, async ({ page }) => {
    const glucose = buildSeed().patients.find((p) => p.patient.id === rosa.id)!.resources.find((r) => r.resourceType === 'Observation' && JSON.stringify(r).includes('"2339-0"')) as { effectiveDateTime: string };
    expect(glucose.effectiveDateTime.endsWith(VENDOR_LAB_TIME)).toBe(true);
    const sent = glucose.effectiveDateTime.slice(0, 10);
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(glucose.effectiveDateTime));
    expect(local).not.toBe(sent);
    const { ehr, base } = await launch(page, rosa.practitionerId, rosa.id);
    await ehr.appFrame().goto(`${base}/results`);
    const row = ehr.frame().locator(`[data-testid="result-row"][data-code="${loinc('2339-0')}"]`);
    await expect(row).toContainText(local);
    await expect(row).not.toContainText(sent);
  });

  test(`dates a visit that began in the evening, sent in UTC, on the evening's day (${VENDOR_SHAPED_PATIENT_ID})`, async ({ page }) => {
    const visits = buildSeed().patients.find((p) => p.patient.id === rosa.id)!.resources.filter((r) => r.resourceType === 'Encounter') as { period?: { start?: string } }[];
    const start = visits.map((v) => v.period?.start ?? '').sort().at(-1)!;
    expect(start.endsWith(VENDOR_LAB_TIME)).toBe(true);
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(start));
    const { ehr, base } = await launch(page, rosa.practitionerId, rosa.id);
    await ehr.appFrame().goto(`${base}/encounters`);
    const first = ehr.detail().items().first();
    await expect(first.locator(`time[datetime="${start}"]`)).toHaveText(local);
    expect(local).not.toBe(start.slice(0, 10));
  });
});
