import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';
import { SharingPage } from './pages/sharing-page';

const patient = FIXTURE_PATIENTS[3]!;
const colleague = FIXTURE_PRACTITIONERS[3]!;
/** A doctor the sandbox issuer lets break the glass (smart-config.json `breakGlass.allowedUsers`). */
const restricted = FIXTURE_PRACTITIONERS[1]!;

/** The e2e database outlives a run: revoke every choice in force for the signed-in patient. */
async function clearChoices(page: Page, base: string): Promise<void> {
  await page.evaluate(async (url) => {
    const list = (await (await fetch(url)).json()) as { entry?: { resource: { id: string; status: string } }[] };
    for (const e of list.entry ?? []) if (e.resource.status === 'active') await fetch(`${url}/${e.resource.id}`, { method: 'DELETE' });
  }, `/api${base}/consents`);
}

const launchPath = (url: string) => new URL(url).pathname.replace(/\/(chart|portal)(\/.*)?$/, '');

async function patientPortal(page: Page, patientId: string = patient.id): Promise<string> {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patientId);
  await portal.approve();
  await expect(page.getByTestId('chart-summary')).toBeVisible();
  await new ChartView(page).settled(); // the summary has stopped growing, so links below it stay put
  return launchPath(page.url());
}

test('a patient shares allergies after reading the preview, finds it in the sharing centre, and revokes it with one tap', async ({ page }) => {
  const base = await patientPortal(page);
  await page.getByTestId('share-allergies').click();
  await expect(page).toHaveURL(/\/portal\/share\?section=allergies$/);
  const sharing = new SharingPage(page);
  await sharing.choosePerson(colleague.display);
  await page.getByTestId('share-days').fill('14');
  await page.getByTestId('share-review').click();
  const preview = page.getByTestId('share-preview');
  await expect(preview).toContainText('allergies');
  await expect(preview).toContainText('14 days');
  const previewText = (await preview.textContent()) ?? '';
  await page.getByTestId('share-confirm').click();
  await expect(page.getByTestId('share-done')).toBeVisible();

  // The same share recorded again is flagged as a duplicate in the centre.
  const dup = await page.evaluate(async ({ url, id }) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'share-with-practitioner', practitionerId: id, resourceTypes: ['AllergyIntolerance'], days: 7 }) });
    return (await res.json()) as { id: string };
  }, { url: `/api${base}/consents`, id: colleague.id });
  await page.goto(`${base}/portal/sharing`);
  await expect(page.locator(`[data-consent-id="${dup.id}"]`).getByTestId('consent-overlap')).toContainText('same choice more than once');
  await page.locator(`[data-consent-id="${dup.id}"]`).getByTestId('revoke').click();
  await page.locator(`[data-consent-id="${dup.id}"]`).getByTestId('revoke-confirm').click();
  await expect(page.locator(`[data-consent-id="${dup.id}"]`)).toHaveAttribute('data-status', 'inactive');

  const item = sharing.activeItems().filter({ hasText: colleague.display });
  await expect(item).toHaveCount(1);
  await expect(item.getByTestId('consent-overlap')).toHaveCount(0);
  await expect(item).toContainText('can see allergies');
  await expect(item.getByTestId('consent-preview')).toHaveText(previewText, { useInnerText: false });

  await item.getByTestId('revoke').click();
  await item.getByTestId('revoke-confirm').click();
  await expect(sharing.activeItems().filter({ hasText: colleague.display })).toHaveCount(0);
  await expect(page.getByTestId('past-consents').getByTestId('consent-item').filter({ hasText: colleague.display }).first()).toHaveAttribute('data-status', 'inactive');
});

test('a clinician sees that items are hidden by the patient and opens them with break-glass from the chart', async ({ page, browser }) => {
  const base = await patientPortal(page);
  const created = await page.evaluate(async ({ url, id }) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'restrict-practitioner', practitionerId: id }) });
    return (await res.json()) as { id: string };
  }, { url: `/api${base}/consents`, id: restricted.id });

  const ctx = await browser.newContext();
  const ehr = new EhrPage(await ctx.newPage());
  await ehr.launch(restricted.id, patient.id);
  const frame = ehr.frame();
  await expect(frame.getByTestId('consent-hidden-notice')).toContainText("Some records may be hidden by the patient's sharing choices");
  await expect(frame.getByTestId('consent-hidden-why')).toHaveText('The patient has limited what you, in your role, may see of their record.');
  await expect(ehr.chart().section('allergies')).not.toContainText(patient.allergy);
  // The detail view says so too, and offers break-glass there.
  await ehr.chart().openSection('allergies');
  await expect(frame.getByTestId('detail-allergies')).toBeVisible();
  await expect(frame.getByTestId('consent-hidden-notice')).toContainText("Some records may be hidden by the patient's sharing choices");
  await expect(frame.getByTestId('detail-allergies')).not.toContainText(patient.allergy);
  await frame.getByTestId('break-glass-open').click();
  await frame.getByTestId('break-glass-reason').fill('short');
  await expect(frame.getByTestId('break-glass-submit')).toBeDisabled();
  await frame.getByTestId('break-glass-reason').fill('Collapsed in clinic, needs allergy check');
  await frame.getByTestId('break-glass-minutes').selectOption('15');
  await frame.getByTestId('break-glass-submit').click();
  await expect(frame.getByTestId('detail-allergies')).toContainText(patient.allergy);
  await ctx.close();

  // Tidy up so other tests see this patient unrestricted.
  const status = await page.evaluate(async (url) => (await fetch(url, { method: 'DELETE' })).status, `/api${base}/consents/${created.id}`);
  expect(status).toBe(200);
});

test('a share link shows only the chosen data, read-only, and stops working once revoked', async ({ page, browser }) => {
  const base = await patientPortal(page);
  await page.getByTestId('sharing-centre-link').click();
  await expect(page).toHaveURL(/\/portal\/sharing$/);
  await expect(page.getByTestId('sharing-centre')).toBeVisible();
  await page.getByTestId('link-create').click();
  const url = (await page.getByTestId('link-url').getAttribute('href')) ?? '';
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);

  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(url);
  await expect(view.getByTestId('shared-record')).toBeVisible();
  await expect(view.getByTestId('shared-section')).toHaveCount(1);
  await expect(view.getByTestId('shared-section')).toHaveAttribute('data-type', 'AllergyIntolerance');
  await expect(view.getByTestId('shared-section')).toContainText(patient.allergy);
  await expect(view.locator('form, button')).toHaveCount(0);

  await page.goto(`${base}/portal/sharing`);
  const item = page.locator('[data-testid="share-link-item"][data-status="active"]').first();
  await item.getByTestId('link-revoke').click();
  await item.getByTestId('link-revoke-confirm').click();
  await expect(page.getByTestId('share-link-item').first()).toHaveAttribute('data-status', 'revoked');

  await view.reload();
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'revoked');
  await view.goto(url.replace(/.{4}$/, 'AAAA'));
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'unknown');
  await partner.close();
});

test('a share link stops working when the patient signs out, since it reads through their launch', async ({ page, browser }) => {
  const base = await patientPortal(page);
  const made = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceTypes: ['Condition'], hours: 1 }) });
    return { status: res.status, json: (await res.json()) as { path: string } };
  }, `/api${base}/share-links`);
  expect(made.status).toBe(201);
  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(new URL(made.json.path, page.url()).toString());
  await expect(view.getByTestId('shared-section')).toHaveAttribute('data-type', 'Condition');

  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  await view.reload();
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'ended');
  await partner.close();
});

test('revoking the permission a share link was made from ends the link, its page says so, and the access history records it', async ({ page, browser }) => {
  const started = Date.now() - 1_000;
  const base = await patientPortal(page);
  const made = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceTypes: ['AllergyIntolerance'], hours: 24 }) });
    return (await res.json()) as { id: string; path: string; consentId: string };
  }, `/api${base}/share-links`);
  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(new URL(made.path, page.url()).toString());
  await expect(view.getByTestId('shared-section')).toContainText(patient.allergy);

  // The link's permission is listed in the sharing centre like any other choice; revoke it there.
  await page.goto(`${base}/portal/sharing`);
  const permission = page.locator(`[data-consent-id="${made.consentId}"]`);
  await expect(permission).toContainText('Anyone with your share link can see allergies');
  await permission.getByTestId('revoke').click();
  await permission.getByTestId('revoke-confirm').click();
  await expect(permission).toHaveAttribute('data-status', 'inactive');
  const link = page.locator(`[data-testid="share-link-item"][data-link-id="${made.id}"]`);
  await expect(link).toHaveAttribute('data-end-reason', 'consent-revoked');
  await expect(link).toContainText('you revoked its permission');

  await view.reload();
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'revoked');
  await expect(view.getByTestId('share-problem')).toContainText('The patient stopped sharing');
  await partner.close();

  // Newest first; the database outlives a run, so the entries must be this test's own.
  await page.goto(`${base}/portal/access`);
  for (const line of ['ended a share link', 'revoked a sharing choice']) {
    const when = await page.getByTestId('access-item').filter({ hasText: line }).first().locator('time').getAttribute('datetime');
    expect(Date.parse(when ?? '')).toBeGreaterThanOrEqual(started);
  }
});

test('a link whose permission is marked as recorded in error says it was withdrawn', async ({ page, browser }) => {
  const base = await patientPortal(page);
  const made = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceTypes: ['Condition'], hours: 1 }) });
    return (await res.json()) as { path: string; consentId: string };
  }, `/api${base}/share-links`);
  const status = await page.evaluate(async (url) => (await fetch(url, { method: 'DELETE' })).status, `/api${base}/consents/${made.consentId}?as=entered-in-error`);
  expect(status).toBe(200);
  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(new URL(made.path, page.url()).toString());
  await expect(view.getByTestId('share-problem')).toHaveAttribute('data-problem', 'withdrawn');
  await partner.close();
});

test('a result shared with a practitioner shows in their launch only while the share stands; revoking it hides it and tells their client to purge it', async ({ page, browser }) => {
  // Under this deployment's permit default a share changes nothing, since a patient's restriction
  // overrides any share (deny overrides permit). So this patient first chooses "only the people I
  // share with" (their own default), which a share then really opens.
  const owner = FIXTURE_PATIENTS[5]!;
  const doctor = FIXTURE_PRACTITIONERS[1]!;
  const base = await patientPortal(page, owner.id);
  await clearChoices(page, base);
  await page.goto(`${base}/portal/sharing`);
  await page.getByTestId('default-choice-open').click();
  await page.getByTestId('default-choice-confirm').click();
  const onlyShared = page.locator('[data-testid="consent-item"][data-status="active"]').filter({ hasText: 'Only the people you share with can see your record.' });
  await expect(onlyShared).toHaveCount(1);
  await expect(page.getByTestId('default-choice')).toHaveCount(0);
  const onlySharedId = await onlyShared.getAttribute('data-consent-id');

  const ctx = await browser.newContext();
  const ehr = new EhrPage(await ctx.newPage());
  await ehr.launch(doctor.id, owner.id);
  const chart = ehr.chart();
  await chart.settled();
  await expect(ehr.frame().getByTestId('consent-hidden-notice')).toBeVisible();
  await expect(ehr.frame().getByTestId('consent-hidden-why')).toContainText('has not chosen you');
  await expect(chart.section('vitals')).not.toContainText('Blood pressure');
  const directive = async () => ehr.appFrame().evaluate(async (url) => (await (await fetch(url)).json()) as { version: string; deniedTypes: string[] }, `/api${launchPath(ehr.frameUrl())}/sync/consent`);
  const before = await directive();
  expect(before.deniedTypes).toContain('Observation');

  // The patient shares their results with this doctor from the summary, after the preview.
  await page.goto(`${base}/portal`);
  await new ChartView(page).settled();
  await page.getByTestId('share-results').click();
  await new SharingPage(page).choosePerson(doctor.display);
  await page.getByTestId('share-review').click();
  await expect(page.getByTestId('share-preview')).toContainText('test results');
  await page.getByTestId('share-confirm').click();
  await expect(page.getByTestId('share-done')).toBeVisible();

  await ehr.reloadApp();
  await chart.settled();
  await expect(chart.section('vitals')).toContainText('Blood pressure');
  const shared = await directive();
  expect(shared.deniedTypes).not.toContain('Observation');
  expect(shared.version).not.toBe(before.version);

  // Revoked from the sharing centre: gone from the doctor's next view, and their client is told.
  await page.goto(`${base}/portal/sharing`);
  const item = new SharingPage(page).activeItems().filter({ hasText: doctor.display });
  await item.getByTestId('revoke').click();
  await item.getByTestId('revoke-confirm').click();
  await expect(new SharingPage(page).activeItems().filter({ hasText: doctor.display })).toHaveCount(0);

  await ehr.reloadApp();
  await chart.settled();
  await expect(chart.section('vitals')).not.toContainText('Blood pressure');
  await expect(ehr.frame().getByTestId('consent-hidden-notice')).toBeVisible();
  const revoked = await directive();
  expect(revoked.deniedTypes).toContain('Observation');
  expect(revoked.version).not.toBe(shared.version);
  await ctx.close();

  // Tidy up so other tests see this patient under the deployment default.
  const status = await page.evaluate(async (url) => (await fetch(url, { method: 'DELETE' })).status, `/api${base}/consents/${onlySharedId}`);
  expect(status).toBe(200);
});

type EhrConsent = { id: string; status: string; identifier?: { system?: string; value?: string }[] };
const copyOf = (all: EhrConsent[], localId: string) => all.find((c) => c.identifier?.some((i) => i.system === 'urn:housecall:consent-id' && i.value === localId));

test('consents are written to the EHR, which advertises Consent create and update; a failed write is kept, shown as not yet at the clinic, and retried on the next change', async ({ page, request }) => {
  const owner = FIXTURE_PATIENTS[6]!;
  const base = await patientPortal(page, owner.id);
  await clearChoices(page, base);
  const record = async (body: unknown) => page.evaluate(async ({ url, body }) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { id: string } };
  }, { url: `/api${base}/consents`, body });

  const shared = await record({ kind: 'share-with-practitioner', practitionerId: colleague.id, resourceTypes: ['Observation'], days: 7 });
  expect(shared.status).toBe(201);
  expect(copyOf(await knobs.read<EhrConsent>(request, 'Consent', owner.id), shared.json.id)).toMatchObject({ status: 'active' });

  // The clinic is down for one Consent write: the choice is kept and in force, and the centre says it is not at the clinic yet.
  await knobs.set(request, { fhirError: { status: 503, resourceTypes: ['Consent'], clients: ['housecall'], count: 1 } });
  const restricted = await record({ kind: 'restrict-practitioner', practitionerId: colleague.id });
  expect(restricted.status).toBe(201);
  expect(copyOf(await knobs.read<EhrConsent>(request, 'Consent', owner.id), restricted.json.id)).toBeUndefined();
  await page.goto(`${base}/portal/sharing`);
  const item = page.locator(`[data-consent-id="${restricted.json.id}"]`);
  await expect(item).toHaveAttribute('data-status', 'active');
  await expect(item.getByTestId('consent-not-at-clinic')).toContainText('Not yet recorded at your clinic');

  // The next change (revoking the share) writes both: the revocation as an update, the restriction at last.
  await page.locator(`[data-consent-id="${shared.json.id}"]`).getByTestId('revoke').click();
  await page.locator(`[data-consent-id="${shared.json.id}"]`).getByTestId('revoke-confirm').click();
  await expect(page.locator(`[data-consent-id="${shared.json.id}"]`)).toHaveAttribute('data-status', 'inactive');
  const held = await knobs.read<EhrConsent>(request, 'Consent', owner.id);
  expect(copyOf(held, shared.json.id)).toMatchObject({ status: 'inactive' });
  expect(copyOf(held, restricted.json.id)).toMatchObject({ status: 'active' });
  await expect(item.getByTestId('consent-not-at-clinic')).toHaveCount(0);

  // Tidy up so other tests see this patient unrestricted.
  expect(await page.evaluate(async (url) => (await fetch(url, { method: 'DELETE' })).status, `/api${base}/consents/${restricted.json.id}`)).toBe(200);
  await knobs.reset(request);
});

test('on a 360 px phone the sharing centre, its default choice and a choice not yet at the clinic have no serious axe findings and full-size controls', async ({ page, request }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  const owner = FIXTURE_PATIENTS[7]!;
  const base = await patientPortal(page, owner.id);
  await clearChoices(page, base);
  await knobs.set(request, { fhirError: { status: 503, resourceTypes: ['Consent'], clients: ['housecall'], count: 1 } });
  const made = await page.evaluate(async (url) => (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'restrict-labels', labels: ['HIV'] }) })).json()) as { id: string }, `/api${base}/consents`);
  await knobs.reset(request);
  await page.goto(`${base}/portal/sharing`);
  await expect(page.locator(`[data-consent-id="${made.id}"]`).getByTestId('consent-not-at-clinic')).toBeVisible();
  await page.getByTestId('default-choice-open').click();
  await expect(page.getByTestId('default-choice-confirm')).toBeVisible();
  const sharing = new SharingPage(page);
  expect(await sharing.accessibilityProblems(['[data-testid="default-choice"]', '[data-testid="consent-item"]'])).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.goto(`${base}/portal/sharing`);
  await clearChoices(page, base);
});

test('shared results read as the chart reads them, by category as Epic requires; an EHR that cannot be read is never “Nothing recorded”', async ({ page, browser, request }) => {
  const other = FIXTURE_PATIENTS[16]!;
  const base = await patientPortal(page, other.id);
  const made = await page.evaluate(async (url) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceTypes: ['Observation', 'AllergyIntolerance'], hours: 1 }) });
    return { status: res.status, json: await res.json() };
  }, `/api${base}/share-links`);
  expect(made.status).toBe(201);
  const partner = await browser.newContext();
  const view = await partner.newPage();
  await view.goto(made.json.path);
  const results = view.locator('[data-testid="shared-section"][data-type="Observation"]');
  await expect(results.locator('li').first()).toBeVisible();
  await expect(results).toContainText(/Blood pressure: \d{2,3}\/\d{2,3} mmHg/);
  await expect(results).not.toContainText(/mm\[Hg\]|Nothing recorded/);
  await expect(results.getByTestId('shared-unavailable')).toHaveCount(0);

  await knobs.set(request, { fhirError: { status: 503, resourceTypes: ['AllergyIntolerance'] } });
  try {
    await view.reload();
    const allergies = view.locator('[data-testid="shared-section"][data-type="AllergyIntolerance"]');
    await expect(allergies.getByTestId('shared-unavailable')).toBeVisible();
    await expect(allergies).not.toContainText('Nothing recorded');
  } finally {
    await knobs.reset(request);
    await partner.close();
  }
});
