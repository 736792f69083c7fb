import { expect, test } from '@playwright/test';
import { FIXTURE_PANELS, FIXTURE_PATIENTS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import { problemsWithin } from './pages/accessibility';
import { knobs } from './pages/sandbox-knobs';
import { StaffConsole } from './pages/staff-console';

/**
 * Issue 15, care-team dashboard: a clinical lead signs in through the sandbox's staff identity
 * provider and sees their panel, read by Housecall with SMART Backend Services; after the
 * `agePatientData` knob ages one patient's data, that patient (and only that one) is flagged
 * stale, on a 360 px phone with no serious axe finding and 44 px targets.
 */
const PHONE = { width: 360, height: 780 };
const panel = FIXTURE_PANELS.find((p) => p.practitionerId === 'prac-001')!;
const agedId = panel.patientIds[2]!;
const nameOf = (id: string) => FIXTURE_PATIENTS.find((p) => p.id === id)!.display;

test.beforeEach(({ request }) => knobs.reset(request));
test.afterEach(({ request }) => knobs.reset(request));

test('a clinical lead sees the care team with one patient flagged stale after the knob ages their data', async ({ page, request }) => {
  await knobs.set(request, { agePatientData: { patients: [agedId], days: 1000 } });
  await page.setViewportSize(PHONE);
  await new StaffConsole(page).signIn('staff-lead-1', '/staff/care-team');
  expect(new URL(page.url()).search).not.toContain('pat-');

  const rows = page.getByTestId('care-team-row');
  await expect(rows).toHaveCount(panel.patientIds.length);
  // Results were read for every row: the sandbox, as Epic, refuses an Observation search naming no category.
  await expect(page.locator('[data-testid="source-Observation"][data-state="failed"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="source-Observation"][data-state="ok"]').first()).toBeAttached();
  for (const id of panel.patientIds) {
    const row = rows.filter({ has: page.getByTestId('care-team-name').getByText(nameOf(id), { exact: true }) });
    await expect(row).toHaveCount(1);
    if (id === agedId) await expect(row.getByTestId('stale-flag')).toContainText(/Stale data: newest \d{4} days ago/);
    else await expect(row.getByTestId('stale-flag')).toHaveCount(0);
  }
  await expect(page.locator('[data-testid="care-team-row"][data-stale="true"]')).toHaveCount(1);

  await page.getByTestId('sort-stale').click();
  await expect(page).toHaveURL(/\/staff\/care-team\?sort=stale$/);
  await expect(rows.first().getByTestId('care-team-name')).toHaveText(nameOf(agedId));
  expect(await problemsWithin(page, ['[data-testid="care-team"]'])).toEqual([]);

  // Open chart leaves Housecall for the EHR's own chart of that patient, where the clinician launches as usual.
  const href = await rows.first().getByTestId('open-chart').getAttribute('href');
  expect(href).toBe(`${SANDBOX_ORIGIN}/ehr?practitioner=prac-001&patient=${agedId}`);
  await rows.first().getByTestId('open-chart').click();
  await expect(page.getByTestId('ehr-patient')).toHaveValue(agedId);

  // With the knob off again, nobody is stale: the flag came from the data's age alone.
  await knobs.reset(request);
  await page.goto('/staff/care-team?sort=stale');
  await expect(rows).toHaveCount(panel.patientIds.length);
  await expect(page.locator('[data-testid="care-team-row"][data-stale="true"]')).toHaveCount(0);
});

test('a member of staff who is not a clinical lead gets the 403 page, not the care team', async ({ page }) => {
  await new StaffConsole(page).signIn('staff-support-1', '/staff');
  const response = await page.goto('/staff/care-team');
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId('care-team-row')).toHaveCount(0);
});
