import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { EhrPage } from './pages/ehr-page';

// A device whose clock is off (a workstation that lost its time server, a phone set by hand): the
// first screen's answers come with the page, fetched on the server's clock, and must still read
// as fetched just now, as the ones the browser fetches itself do.

test('on a device whose clock is ten minutes fast, the chart’s first screen says it was checked just now', async ({ page }) => {
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
  const ehr = new EhrPage(page);
  await ehr.launch(FIXTURE_PRACTITIONERS[0]!.id, FIXTURE_PATIENTS[0]!.id);
  await expect(ehr.chart().patientName()).toHaveText(FIXTURE_PATIENTS[0]!.display);
  await expect(ehr.frame().getByTestId('chart-summary')).not.toHaveAttribute('data-fhir-server', '0');
  const checked = await ehr.frame().getByTestId('fetched-at').allTextContents();
  expect(checked.length).toBeGreaterThan(2);
  expect(checked.every((t) => t === 'Checked just now'), checked.join(' | ')).toBe(true);
});
