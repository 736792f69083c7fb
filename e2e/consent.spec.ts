import { expect, test, type Frame, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

const patient = FIXTURE_PATIENTS[4]!;
const restricted = FIXTURE_PRACTITIONERS[1]!;
const other = FIXTURE_PRACTITIONERS[2]!;

/** Calls Housecall's API from inside a page or frame, with that document's own session cookie. */
async function call(where: Page | Frame, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return where.evaluate(async ({ method, path, body }) => {
    const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: await res.json().catch(() => null) };
  }, { method, path, body });
}

const launchPath = (url: string) => new URL(url).pathname.replace(/\/(chart|portal)$/, '');

test('a patient shuts out one practitioner; the proxy enforces it, break-glass opens it with an audit trail the patient sees, revocation restores access', async ({ page, browser }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  const patientBase = `/api${launchPath(page.url())}`;
  const created = await call(page, 'POST', `${patientBase}/consents`, { kind: 'restrict-practitioner', practitionerId: restricted.id });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({ resourceType: 'Consent', status: 'active' });
  expect((await call(page, 'POST', `${patientBase}/consents`, { kind: 'restrict-practitioner', practitionerId: '../x' })).status).toBe(400);

  // The restricted practitioner's launch: searches come back empty, reads look missing.
  const ctxA = await browser.newContext();
  const ehr = new EhrPage(await ctxA.newPage());
  await ehr.launch(restricted.id, patient.id);
  await expect(ehr.chart().section('allergies')).toContainText('No known allergies recorded');
  const frame = ehr.appFrame();
  const base = `/api${launchPath(frame.url())}`;
  expect((await call(frame, 'GET', `${base}/fhir/Patient/${patient.id}`)).status).toBe(404);
  expect((await call(frame, 'GET', `${base}/fhir/AllergyIntolerance`)).json.total).toBe(0);

  // Another practitioner is unaffected.
  const ctxB = await browser.newContext();
  const ehrB = new EhrPage(await ctxB.newPage());
  await ehrB.launch(other.id, patient.id);
  await expect(ehrB.chart().section('allergies')).toContainText(patient.allergy);
  await ctxB.close();

  // Break-glass: a reason is required, then access opens for the time limit.
  expect((await call(frame, 'POST', `${base}/break-glass`, { reason: 'short' })).status).toBe(400);
  const btg = await call(frame, 'POST', `${base}/break-glass`, { reason: 'Unconscious in the emergency department', minutes: 30 });
  expect(btg.status).toBe(200);
  expect((await call(frame, 'GET', `${base}/fhir/Patient/${patient.id}`)).status).toBe(200);
  await ehr.reloadApp();
  await expect(ehr.chart().section('allergies')).toContainText(patient.allergy);
  await ctxA.close();
  // Operations see it as an unusual-access finding at the next scrape, by rule and issuer only.
  const scrape = await (await page.request.get('/api/metrics')).text();
  expect(scrape).toMatch(/housecall_unusual_access_findings\{rule="break-glass",issuer="sandbox"\} [1-9]/);
  expect(scrape).not.toContain(restricted.id);
  expect(scrape).not.toContain(patient.id);

  // The patient sees the emergency access, then revokes the restriction.
  await page.goto(`${launchPath(page.url())}/portal/access`);
  await expect(page.getByTestId('access-item').and(page.locator('[data-break-glass="true"]')).first()).toBeVisible();
  const revoked = await call(page, 'DELETE', `${patientBase}/consents/${created.json.id}`);
  expect(revoked.status).toBe(200);
  expect(revoked.json.status).toBe('inactive');

  const ctxC = await browser.newContext();
  const again = new EhrPage(await ctxC.newPage());
  await again.launch(restricted.id, patient.id);
  await expect(again.chart().section('allergies')).toContainText(patient.allergy);
  await ctxC.close();
});

test('a patient cannot manage consents from a clinician launch, and cross-origin writes are refused', async ({ page, request }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(other.id, patient.id);
  await expect(ehr.chart().section('allergies')).toContainText(patient.allergy);
  const frame = ehr.appFrame();
  const base = `/api${launchPath(frame.url())}`;
  expect((await call(frame, 'POST', `${base}/consents`, { kind: 'restrict-labels', labels: ['PSY'] })).status).toBe(403);
  const crossSite = await request.post(`${base}/break-glass`, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, data: { reason: 'not really an emergency' } });
  expect(crossSite.status()).toBe(403);
});

test("a patient's launch cannot reach another patient's data inside a batch or transaction: refused with a stable code and recorded", async ({ page }) => {
  const started = Date.now() - 1_000;
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(page.getByTestId('chart-summary')).toBeVisible();
  const base = `/api${launchPath(page.url())}`;
  const someoneElse = FIXTURE_PATIENTS[0]!.id;
  for (const type of ['batch', 'transaction'] as const) {
    const bundle = { resourceType: 'Bundle', type, entry: [{ request: { method: 'GET', url: `Observation?patient=${someoneElse}` } }, { request: { method: 'GET', url: `Patient/${someoneElse}` } }] };
    const atBase = await call(page, 'POST', `${base}/fhir`, bundle);
    expect(atBase.status).toBe(400);
    expect(atBase.json.resourceType).toBe('OperationOutcome');
    expect(atBase.json.issue[0].details.coding[0].code).toBe('batch-not-supported');
    expect(JSON.stringify(atBase.json)).not.toContain(someoneElse);
    const asType = await call(page, 'POST', `${base}/fhir/Bundle`, bundle);
    expect(asType.status).toBe(400);
    expect(asType.json.issue[0].details.coding[0].code).toBe('unknown-resource-type');
  }
  await page.goto(`${base.replace('/api', '')}/portal/access`);
  const refused = page.locator('[data-testid="access-item"][data-outcome="refused"]').filter({ hasText: 'sent a batch request' });
  await expect(refused.first()).toBeVisible();
  // The e2e database outlives a run: count this test's own refusals.
  const times = await refused.locator('time').evaluateAll((els) => els.map((e) => Date.parse(e.getAttribute('datetime') ?? '')));
  expect(times.filter((t) => t >= started)).toHaveLength(2);
});

test("a clinician's launch cannot write into another patient's record: a body naming them is refused before it leaves, and their resources answer as missing", async ({ page, request }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(other.id, patient.id);
  await ehr.chart().settled();
  const frame = ehr.appFrame();
  const fhir = `/api${launchPath(frame.url())}/fhir`;
  const someoneElse = FIXTURE_PATIENTS[1]!.id;
  const note = { resourceType: 'DocumentReference', status: 'current', subject: { reference: `Patient/${someoneElse}` }, content: [{ attachment: { contentType: 'text/plain', data: 'bm90ZQ==' } }] };
  const create = await call(frame, 'POST', `${fhir}/DocumentReference`, note);
  expect(create.status).toBe(403);
  expect(create.json.issue[0].details.coding[0].code).toBe('outside-compartment');

  const [theirs] = await knobs.read<{ id: string; meta?: { versionId?: string }; patient: { reference: string } }>(request, 'AllergyIntolerance', someoneElse);
  expect(theirs).toBeDefined();
  // Rewritten to name this launch's patient, so only the proxy's look at the stored copy can catch it.
  const moved = { ...theirs, patient: { reference: `Patient/${patient.id}` } };
  const update = await call(frame, 'PUT', `${fhir}/AllergyIntolerance/${theirs!.id}`, moved);
  expect(update.status).toBe(404);
  // Deletes are not in the clinician's scopes at all.
  const remove = await call(frame, 'DELETE', `${fhir}/AllergyIntolerance/${theirs!.id}`);
  expect(remove.json.issue[0].details.coding[0].code).toBe('scope-not-granted');
  const [after] = (await knobs.read<{ id: string; meta?: { versionId?: string } }>(request, 'AllergyIntolerance', someoneElse)).filter((a) => a.id === theirs!.id);
  expect(after?.meta?.versionId).toBe(theirs!.meta?.versionId);
});
