import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';
import { knobs } from './pages/sandbox-knobs';

// A device whose clock is off (a workstation that lost its time server, a phone set by hand): the
// first screen's answers come with the page, fetched on the server's clock, and must still read
// as fetched just now, as the ones the browser fetches itself do; and a record's age, stamped by
// the EHR's clock, is counted on that clock.

/** The browser's clock runs ten minutes ahead of the machine's (and so of the EHR's and Housecall's). */
async function tenMinutesFast(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    const fast = 10 * 60_000;
    const RealDate = Date;
    const realNow = RealDate.now.bind(RealDate);
    class FastDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(realNow() + fast);
        else super(...(args as [number]));
      }

      static override now(): number {
        return realNow() + fast;
      }
    }
    globalThis.Date = FastDate as DateConstructor;
  });
}

test('on a device whose clock is ten minutes fast, the chart’s first screen says it was checked just now', async ({ page }) => {
  await tenMinutesFast(page);
  const ehr = new EhrPage(page);
  await ehr.launch(FIXTURE_PRACTITIONERS[0]!.id, FIXTURE_PATIENTS[0]!.id);
  await expect(ehr.chart().patientName()).toHaveText(FIXTURE_PATIENTS[0]!.display);
  await expect(ehr.frame().getByTestId('chart-summary')).not.toHaveAttribute('data-fhir-server', '0');
  const checked = await ehr.frame().getByTestId('fetched-at').allTextContents();
  expect(checked.length).toBeGreaterThan(2);
  expect(checked.every((t) => t === 'Checked just now'), checked.join(' | ')).toBe(true);
});

test('on a device whose clock is ten minutes fast, a problem the EHR changed a moment ago reads “updated just now”, not “10 min ago”', async ({ page, request }) => {
  const patient = FIXTURE_PATIENTS[0]!;
  // The EHR records a change to each of the patient's problems now, on its own clock (conditions
  // are read-only to Housecall, so no other test's writes meet these versions).
  const conditions = await knobs.read<{ id: string }>(request, 'Condition', patient.id);
  for (const c of conditions) expect((await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, { data: { resourceType: 'Condition', id: c.id } })).status()).toBe(200);
  await tenMinutesFast(page);
  const ehr = new EhrPage(page);
  await ehr.launch(FIXTURE_PRACTITIONERS[0]!.id, patient.id);
  const lines = ehr.chart().section('problems').getByTestId('source-line');
  await expect(lines.first()).toContainText('Sandbox EHR · version');
  // Once the scripts have run and an answer's Date has been seen, every line counts on the EHR's clock.
  await expect.poll(async () => (await lines.allTextContents()).join(' | '), { timeout: 20_000 }).toMatch(/^(?:[^|]*updated just now(?: \| |$))+$/);
});

test('on a device whose clock is ten minutes fast, a chart opened again says it was last opened just now, not 10 min ago', async ({ page }) => {
  await tenMinutesFast(page);
  const ehr = new EhrPage(page);
  const practitioner = FIXTURE_PRACTITIONERS[1]!.id;
  const patient = FIXTURE_PATIENTS[2]!.id;
  await ehr.launch(practitioner, patient);
  await expect(ehr.chart().summary()).toHaveAttribute('data-visit', 'recorded');
  await ehr.launch(practitioner, patient);
  await ehr.chart().settled();
  await expect(ehr.chart().section('attention').getByTestId('attention-since')).toHaveText(/^New since you last opened this chart just now\./);
});
