import { expect, test, type Frame, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

const patient = FIXTURE_PATIENTS[13]!;
const nurse = FIXTURE_PRACTITIONERS[2]!;
const CATEGORIES = 'category=laboratory,vital-signs';
const HIV = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'HIV' };

async function call(where: Page | Frame, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  return where.evaluate(async ({ method, path, body }) => {
    const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, json: await res.json().catch(() => null) };
  }, { method, path, body });
}

const launchPath = (url: string) => new URL(url).pathname.replace(/\/(chart|portal)$/, '');

test('a clinician’s count search under a patient’s label restriction counts only what the clinician may see, and a clinician without the privilege cannot break the glass', async ({ page, browser, request }) => {
  // The EHR labels two of the patient's Observations HIV (as its labeler would).
  // Searched by category, as Epic requires (and the sandbox by default): these are all the patient's results.
  const observations = (await knobs.read<{ id: string; category?: unknown }>(request, 'Observation', patient.id)).filter((o) => /"(laboratory|vital-signs)"/.test(JSON.stringify(o.category ?? [])));
  expect(observations.length).toBeGreaterThan(2);
  const labelled = observations.slice(0, 2).map((o) => o.id);
  const label = (security: unknown[]) => Promise.all(labelled.map(async (id) => expect((await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, { data: { resourceType: 'Observation', id, security } })).status()).toBe(200)));
  await label([HIV]);

  // The patient restricts HIV-labelled records.
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  const patientBase = `/api${launchPath(page.url())}`;
  const restriction = await call(page, 'POST', `${patientBase}/consents`, { kind: 'restrict-labels', labels: ['HIV'] });
  expect(restriction.status).toBe(201);

  try {
    const ctx = await browser.newContext();
    const ehr = new EhrPage(await ctx.newPage());
    await ehr.launch(nurse.id, patient.id);
    await expect(ehr.chart().section('allergies')).toBeVisible();
    const frame = ehr.appFrame();
    const base = `/api${launchPath(frame.url())}/fhir`;
    const visible = observations.length - labelled.length;

    const counted = await call(frame, 'GET', `${base}/Observation?${CATEGORIES}&_summary=count`);
    expect(counted.status).toBe(200);
    expect(counted.json.total).toBe(visible);
    const accurate = await call(frame, 'GET', `${base}/Observation?${CATEGORIES}&_total=accurate&_count=5`);
    expect(accurate.json.total).toBe(visible);
    expect((await call(frame, 'GET', `${base}/Observation?${CATEGORIES}&_count=0`)).json.total).toBe(visible);

    // What the clinician may see is exactly that many, none of them labelled.
    const ids: string[] = [];
    let next: string | undefined = `${base}/Observation?${CATEGORIES}&_count=200`;
    while (next) {
      const page: { json: { entry?: { resource: { id: string } }[]; link?: { relation: string; url: string }[] } } = await call(frame, 'GET', next);
      ids.push(...(page.json.entry ?? []).map((e) => e.resource.id));
      next = page.json.link?.find((l) => l.relation === 'next')?.url;
    }
    expect(ids).toHaveLength(visible);
    expect(ids.filter((id) => labelled.includes(id))).toEqual([]);

    // Nor can a search aimed at one record tell, by its consent tags, that a labelled record is
    // there or how many: a search that matches a labelled record and one that matches an
    // unlabelled one carry the same tags, and none names the label or counts.
    const unlabelled = observations.find((o) => !labelled.includes(o.id))!.id;
    const consentTags = async (id: string) => {
      const answer = await call(frame, 'GET', `${base}/Observation?_id=${id}`);
      expect(answer.status).toBe(200);
      return ((answer.json.meta?.tag ?? []) as { system?: string; code?: string }[]).filter((t) => t.system?.startsWith('urn:housecall:consent-hidden'));
    };
    const onLabelled = await consentTags(labelled[0]!);
    expect(onLabelled.length).toBeGreaterThan(0);
    expect(await consentTags(unlabelled)).toEqual(onLabelled);
    expect(JSON.stringify(onLabelled)).not.toMatch(/HIV|"code":"\d/);

    // A nurse the deployment has not given emergency access is refused, with a stable code.
    const refused = await call(frame, 'POST', `${base.replace(/\/fhir$/, '')}/break-glass`, { reason: 'Trying to see the hidden results', minutes: 15 });
    expect(refused.status).toBe(403);
    expect(refused.json.issue[0].details.coding[0].code).toBe('break-glass-not-privileged');
    expect((await call(frame, 'GET', `${base}/Observation?${CATEGORIES}&_summary=count`)).json.total).toBe(visible);
    await ctx.close();

    // The patient sees the refused attempt in their access history.
    await page.goto(`${launchPath(page.url())}/portal/access`);
    await expect(page.getByTestId('access-item').filter({ hasText: 'was refused emergency access' }).first()).toBeVisible();
  } finally {
    expect((await call(page, 'DELETE', `${patientBase}/consents/${restriction.json.id}`)).status).toBe(200);
    await label([]);
  }
});
