import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS, FIXTURE_RELATED_PERSONS } from '../fixtures';
import { HOUSECALL_URL } from '../scripts/env';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

// Who the user is comes from the id_token, not from the route the launch took (issue 10).
const patient = FIXTURE_PATIENTS[8]!;
const doctor = FIXTURE_PRACTITIONERS[3]!;
const otherDoctor = FIXTURE_PRACTITIONERS[0]!;
const caregiver = FIXTURE_RELATED_PERSONS[0]!;

async function call(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return page.evaluate(async ({ method, path, body }) => {
    const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: await res.json().catch(() => null) };
  }, { method, path, body });
}

const launchPath = (url: string) => new URL(url).pathname.replace(/\/(chart|portal)$/, '');

test.afterEach(async ({ request }) => {
  await knobs.reset(request);
});

test('a practitioner who signs in at the portal gets the clinician chart of the patient they picked, and every patient-only page and API refuses them', async ({ page }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(doctor.id);
  await portal.pickPatient(patient.id);
  await portal.approve();
  await expect(page).toHaveURL(new RegExp(`^${HOUSECALL_URL}/l/[A-Za-z0-9_-]+/chart$`));
  await expect(new ChartView(page).patientName()).toHaveText(patient.display);

  const base = launchPath(page.url());
  const api = `/api${base}`;
  const refusals = [
    await call(page, 'GET', `${api}/consents`),
    await call(page, 'POST', `${api}/consents`, { kind: 'restrict-practitioner', practitionerId: doctor.id }),
    await call(page, 'POST', `${api}/consents`, { kind: 'patient-default', rule: 'permit' }),
    await call(page, 'DELETE', `${api}/consents/00000000-0000-4000-8000-000000000000`),
    await call(page, 'POST', `${api}/share-links`, { resourceTypes: ['AllergyIntolerance'], hours: 1 }),
    await call(page, 'DELETE', `${api}/share-links/00000000-0000-4000-8000-000000000000`),
  ];
  for (const r of refusals) {
    expect(r.status).toBe(403);
    expect(r.json.resourceType).toBe('OperationOutcome');
    expect(r.json.issue[0].details.coding[0].code).toBe('patient-only');
  }
  for (const view of ['portal', 'portal/access', 'portal/sharing', 'portal/contact', 'portal/review', 'portal/share?section=summary']) {
    await page.goto(`${base}/${view}`);
    await expect(page.getByTestId('launch-problem')).toHaveAttribute('data-reason', 'patient-only');
    await expect(page.getByTestId('chart-summary')).toHaveCount(0);
  }
});

test('a related person gets a page that caregiver access is not available yet, and nothing of the record', async ({ page }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(caregiver.id);
  await portal.approve();
  await expect(page.getByTestId('launch-error')).toHaveAttribute('data-error-code', 'caregiver_not_available');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access for family members and caregivers is not available yet');
  expect(new URL(page.url()).pathname).toBe('/redirect');
  const related = FIXTURE_PATIENTS.find((p) => p.id === caregiver.patientId)!;
  await expect(page.locator('body')).not.toContainText(related.family);
});

test('with Epic-style absolute fhirUser, a patient still reaches their portal and their restriction of a practitioner still holds', async ({ page, browser, request }) => {
  await knobs.set(request, { absoluteFhirUser: true });
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(page).toHaveURL(new RegExp(`^${HOUSECALL_URL}/l/[A-Za-z0-9_-]+/portal$`));
  await expect(new ChartView(page).patientName()).toHaveText(patient.display);
  const patientApi = `/api${launchPath(page.url())}`;
  const restriction = await call(page, 'POST', `${patientApi}/consents`, { kind: 'restrict-practitioner', practitionerId: doctor.id });
  expect(restriction.status).toBe(201);
  try {
    const clinician = await browser.newContext();
    const ehr = new EhrPage(await clinician.newPage());
    await ehr.launch(doctor.id, patient.id);
    await expect(ehr.chart().section('allergies')).toContainText('No known allergies recorded');
    const frame = ehr.appFrame();
    const read = await frame.evaluate(async (url) => (await fetch(url)).status, `/api${launchPath(frame.url())}/fhir/Patient/${patient.id}`);
    expect(read).toBe(404);
    expect((await knobs.stats(request)).faults.absoluteFhirUser).toBeGreaterThanOrEqual(2);
    await clinician.close();
  } finally {
    // The e2e database outlives a run: lift the restriction so other tests see this patient.
    expect((await call(page, 'DELETE', `${patientApi}/consents/${restriction.json.id}`)).status).toBe(200);
  }
});

test('a clinician the EHR names by their role (fhirUser = PractitionerRole) is held by the patient’s restriction of the practitioner behind it', async ({ page, browser, request }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  const patientApi = `/api${launchPath(page.url())}`;
  const restriction = await call(page, 'POST', `${patientApi}/consents`, { kind: 'restrict-practitioner', practitionerId: doctor.id });
  expect(restriction.status).toBe(201);
  await knobs.set(request, { fhirUserAsRole: true });
  const patientRead = async (practitionerId: string) => {
    const clinician = await browser.newContext();
    try {
      const ehr = new EhrPage(await clinician.newPage());
      await ehr.launch(practitionerId, patient.id);
      await expect(ehr.chart().section('allergies')).toBeVisible();
      const frame = ehr.appFrame();
      return await frame.evaluate(async (url) => (await fetch(url)).status, `/api${launchPath(frame.url())}/fhir/Patient/${patient.id}`);
    } finally {
      await clinician.close();
    }
  };
  try {
    // The restricted practitioner, signed in as their role, is refused the record.
    expect(await patientRead(doctor.id)).toBe(404);
    // Another practitioner, also signed in as a role, is resolved to who they are and reads it:
    // the refusal above is the restriction's, not a failure to tell who anyone is.
    expect(await patientRead(otherDoctor.id)).toBe(200);
    expect((await knobs.stats(request)).faults.fhirUserAsRole).toBeGreaterThanOrEqual(2);
    // The patient's access history names the person behind the role, not "a clinician, name not available".
    await page.goto(`${launchPath(page.url())}/portal/access`);
    await expect(page.getByTestId('access-visit-who').filter({ hasText: doctor.display }).first()).toBeVisible();
    await expect(page.getByTestId('access-visit-who').filter({ hasText: otherDoctor.display }).first()).toBeVisible();
    await expect(page.getByTestId('access-visit-who').filter({ hasText: 'name not available' })).toHaveCount(0);
  } finally {
    await knobs.set(request, { fhirUserAsRole: false });
    expect((await call(page, 'DELETE', `${patientApi}/consents/${restriction.json.id}`)).status).toBe(200);
  }
});

test('a launch id copied out of the EHR page signs no one in from another browser', async ({ page, browser }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, patient.id);
  await expect(ehr.chart().patientName()).toHaveText(patient.display);
  const frameSrc = (await page.getByTestId('ehr-frame').getAttribute('src'))!;
  expect(new URL(frameSrc).searchParams.get('launch')).toBeTruthy();
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(frameSrc);
  await expect(other.getByTestId('launch-error')).toHaveAttribute('data-error-code', 'authorization_error');
  await expect(other.getByTestId('error-detail')).toContainText('sign in at the EHR');
  await expect(other.getByTestId('patient-name')).toHaveCount(0);
  await stranger.close();
});
