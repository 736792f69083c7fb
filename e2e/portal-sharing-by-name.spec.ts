import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { careTeamPlan, FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS, LOCUM_DISPLAY } from '../fixtures';
import { problemsWithin } from './pages/accessibility';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { SharingPage } from './pages/sharing-page';

/**
 * Issue 14 on a phone: a patient shares and restricts by choosing people by name from their care
 * team (never an id), and reads who looked at their record as visits in words, in their own
 * time zone, with their own visits filterable and a CSV download of the same.
 */
const patient = FIXTURE_PATIENTS[8]!;
const plan = careTeamPlan(patient);
const display = (id: string) => FIXTURE_PRACTITIONERS.find((p) => p.id === id)!.display;
const gp = display(plan.gp);
const nurse = display(plan.nurse);
const specialist = display(plan.specialist);
const ended = display(plan.ended);
const TIME_ZONE = 'Pacific/Auckland';

test.use({ viewport: { width: 360, height: 740 }, timezoneId: TIME_ZONE });


/** The e2e database outlives a run: revoke every choice in force for the signed-in patient. */
async function clearChoices(page: Page, base: string): Promise<void> {
  await page.evaluate(async (url) => {
    const list = (await (await fetch(url)).json()) as { entry?: { resource: { id: string; status: string } }[] };
    for (const e of list.entry ?? []) if (e.resource.status === 'active') await fetch(`${url}/${e.resource.id}`, { method: 'DELETE' });
  }, `/api${base}/consents`);
}

const signIn = (page: Page): Promise<string> => new PortalPage(page).launchAs(patient.id);

async function noIds(page: Page): Promise<void> {
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/prac-\d|Practitioner\/|pat-\d/);
}

test('a patient shares by name, restricts by name, the clinician feels it, and the access history tells it in words', async ({ page, browser }) => {
  const started = Date.now();
  const base = await signIn(page);
  await clearChoices(page, base);
  const sharing = new SharingPage(page);

  // Share test results: the picker lists the care team by name and role; no locum (no reference), no one whose part ended.
  await page.getByTestId('share-results').click();
  await expect(page).toHaveURL(/\/portal\/share\?section=results$/);
  const listed = await sharing.listedPeople();
  expect(listed).toEqual([`${gp} GP`, ...(plan.nurse === plan.gp ? [] : [`${nurse} Practice nurse`]), `${specialist} Cardiologist`]);
  expect(listed.join(' ')).not.toContain(LOCUM_DISPLAY);
  expect(listed.join(' ')).not.toContain(ended);
  await noIds(page);
  // Radio semantics: arrow keys move the choice within the group.
  await page.getByRole('radio', { name: new RegExp(gp) }).check();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: new RegExp(listed[1]!.split(' ').slice(0, 3).join(' ')) })).toBeChecked();
  // Search narrows by name or role, and says when nothing matches.
  await page.getByTestId('person-search').fill('cardio');
  await expect(page.getByTestId('person-option')).toHaveCount(1);
  await page.getByTestId('person-search').fill('nobody-like-this');
  await expect(page.getByTestId('person-no-match')).toBeVisible();
  expect(await problemsWithin(page, ['[data-testid="share-page"]'])).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await sharing.choosePerson(gp);
  await page.getByTestId('share-review').click();
  await expect(page.getByTestId('share-preview')).toContainText(`with ${gp} (your GP)`);
  await expect(page.getByTestId('share-preview')).toContainText('test results');
  await page.getByTestId('share-confirm').click();
  await expect(page.getByTestId('share-done')).toBeVisible();

  // The sharing centre names them; restricting is offered beside sharing, just as plainly.
  await page.getByTestId('sharing-centre-link').click();
  await expect(sharing.activeItems().filter({ hasText: `${gp} can see results and vital signs, reports.` })).toHaveCount(1);
  await noIds(page);
  await expect(page.getByTestId('choice-share')).toBeVisible();
  await page.getByTestId('choice-restrict').click();
  await expect(page.getByTestId('restrict-page')).toBeVisible();
  await sharing.choosePerson(specialist);
  await page.getByTestId('restrict-review').click();
  await expect(page.getByTestId('restrict-preview')).toContainText(`keeping your whole record from ${specialist} (your cardiologist)`);
  expect(await problemsWithin(page, ['[data-testid="restrict-page"]'])).toEqual([]);
  await page.getByTestId('restrict-confirm').click();
  await expect(page.getByTestId('restrict-done')).toBeVisible();
  await page.goto(`${base}/portal/sharing`);
  await expect(sharing.activeItems().filter({ hasText: `${specialist} cannot see your whole record.` })).toHaveCount(1);

  // The restricted clinician's launch: the patient's choice hides the record from them.
  const ctx = await browser.newContext();
  const ehr = new EhrPage(await ctx.newPage());
  await ehr.launch(plan.specialist, patient.id);
  await expect(ehr.frame().getByTestId('consent-hidden-notice')).toBeVisible();
  await expect(ehr.chart().section('allergies')).not.toContainText(patient.allergy);
  await ctx.close();

  // The access history: visits in words, the clinician named with their role, local time, newest first.
  await page.goto(`${base}/portal/access`);
  const theirs = page.getByTestId('access-visit').filter({ has: page.getByTestId('access-visit-who').getByText(`${specialist}, your cardiologist`, { exact: true }) }).first();
  await expect(theirs).toBeVisible();
  await expect(theirs).toContainText(/sharing choices/);
  await expect(theirs.getByTestId('access-item').filter({ hasText: 'They opened your record from the EHR' })).toHaveCount(1);
  const time = theirs.locator('time').first();
  await expect(time).toHaveAttribute('data-local', 'true');
  const iso = (await time.getAttribute('datetime')) ?? '';
  expect(Date.parse(iso)).toBeGreaterThanOrEqual(started - 1_000);
  const inAuckland = new Date(iso).toLocaleString('en-GB', { timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  await expect(time).toHaveText(inAuckland);
  const mine = page.locator('[data-testid="access-visit"][data-self="true"]').filter({ hasText: 'You looked at your' });
  await expect(mine.first()).toBeVisible();
  await noIds(page);
  expect(await problemsWithin(page, ['[data-testid="access-history"]'])).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // Hide the patient's own visits; the clinician's stay.
  await page.getByTestId('access-filter-own').click();
  await expect(page).toHaveURL(/\/portal\/access\?mine=hide$/);
  await expect(page.locator('[data-testid="access-visit"][data-self="true"]')).toHaveCount(0);
  await expect(page.getByTestId('access-visit').first().getByTestId('access-visit-who')).toHaveText(`${specialist}, your cardiologist`); // newest first

  // The download is the same visits, in the patient's time zone, without their own.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('access-download').click()]);
  const csv = await readFile((await download.path())!, 'utf8');
  const rows = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(rows[0]).toBe('"Started","Ended","Time zone","Started (UTC)","Who","Looked at","Also","Emergency access","Refused","Withheld by your sharing choices","Steps"');
  expect(rows[1]).toContain(`"${TIME_ZONE}"`);
  expect(rows[1]).toContain(`"${specialist}, your cardiologist"`);
  expect(rows.slice(1).some((r) => r.includes('"You"'))).toBe(false);
  expect(csv).not.toMatch(/prac-\d|Practitioner\/|pat-\d/);

  await clearChoices(page, base);
});

test('a share naming someone who is not among the patient\'s care people is refused by the server with its reason, and nothing is kept', async ({ page }) => {
  const base = await signIn(page);
  const res = await page.evaluate(async (url) => {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'share-with-practitioner', practitionerId: 'prac-nobody', resourceTypes: ['Observation'], days: 7 }) });
    return { status: r.status, code: ((await r.json()) as { issue?: { details?: { coding?: { code?: string }[] } }[] }).issue?.[0]?.details?.coding?.[0]?.code };
  }, `/api${base}/consents`);
  expect(res).toEqual({ status: 422, code: 'unknown-person' });
});
