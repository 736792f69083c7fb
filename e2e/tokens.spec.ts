import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { SANDBOX_ORIGIN, SANDBOX_CLIENT_AUTH, SANDBOX_SECRET } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';
import { knobs } from './pages/sandbox-knobs';

/**
 * Tokens against EHRs that differ (issue 10, "Sessions and tokens"): Housecall registered with
 * private_key_jwt through a launch and a refresh, a server that grants only v1 scopes, and one
 * that narrows Observation access to laboratory results.
 */
const ada = FIXTURE_PATIENTS[0]!;
const doctor = FIXTURE_PRACTITIONERS[0]!;

test.beforeEach(async ({ request }) => knobs.reset(request));
test.afterEach(async ({ request }) => knobs.reset(request));

test('Housecall registered with private_key_jwt launches and refreshes, signing with the key its JWKS publishes', async ({ page, request }) => {
  test.skip(SANDBOX_CLIENT_AUTH !== 'private_key_jwt', 'the run registers Housecall with a shared secret');
  const served = await request.get('/.well-known/jwks.json');
  expect(served.headers()['cache-control']).toBe('public, max-age=300');
  const jwks = await served.json() as { keys: { kid: string; alg: string; d?: string }[] };
  // The SMART client's key and the backend-services client's (the care-team dashboard), public halves only.
  expect(jwks.keys).toEqual([expect.objectContaining({ kid: 'housecall-sandbox-1', alg: 'ES384' }), expect.objectContaining({ kid: 'housecall-backend-1', alg: 'ES384' })]);
  expect(jwks.keys.filter((k) => k.d !== undefined)).toEqual([]);
  // The sandbox knows Housecall by its key only: the shared secret is refused.
  const discovery = await (await request.get(`${SANDBOX_ORIGIN}/fhir/.well-known/smart-configuration`)).json() as { token_endpoint: string };
  const basic = await request.post(discovery.token_endpoint, {
    headers: { authorization: `Basic ${Buffer.from(`housecall:${SANDBOX_SECRET}`).toString('base64')}` },
    form: { grant_type: 'refresh_token', refresh_token: 'x' },
  });
  expect(basic.status()).toBe(401);

  await knobs.set(request, { accessTokenTtlSeconds: 3 }); // run out by the reload below: it needs a refresh
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  await ehr.chart().settled();
  await page.waitForTimeout(3_500);
  await ehr.reloadApp();
  await expect(ehr.chart().section('problems')).toContainText(ada.problem);
  await ehr.chart().settled();
  const stats = await knobs.stats(request);
  expect(stats.tokenRequests.authorization_code).toBe(1);
  expect(stats.tokenRequests.refresh_token ?? 0).toBeGreaterThanOrEqual(1);
  expect(stats.rotatedRefreshTokenReuse).toBe(0);
});

test('a server that grants only v1 scopes: Housecall asks in v1 syntax and the chart still reads', async ({ page, request }) => {
  await knobs.set(request, { v1Only: true });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  await expect(ehr.chart().section('problems')).toContainText(ada.problem);
  await ehr.chart().settled();
  await expect(ehr.chart().section('vitals').getByTestId('section-item').first()).toBeVisible();
  expect((await knobs.stats(request)).faults.v1Only).toBe(1);
  // v1 `.write` (asked for `.rus`) also means delete; Housecall never asked to delete, so the proxy refuses it.
  const frame = ehr.appFrame();
  const api = `/api${new URL(frame.url()).pathname.replace(/\/chart$/, '')}/fhir`;
  const refused = await frame.evaluate(async (base) => {
    const search = (await (await fetch(`${base}/AllergyIntolerance`)).json()) as { entry: { resource: { id: string } }[] };
    const id = search.entry[0]!.resource.id;
    const res = await fetch(`${base}/AllergyIntolerance/${id}`, { method: 'DELETE' });
    const outcome = (await res.json()) as { issue: { details?: { coding?: { code?: string }[] } }[] };
    return { status: res.status, code: outcome.issue[0]?.details?.coding?.[0]?.code, still: (await fetch(`${base}/AllergyIntolerance/${id}`)).status };
  }, api);
  expect(refused).toEqual({ status: 403, code: 'scope-not-granted', still: 200 });
});

test('a grant narrowed to laboratory results: the proxy refuses the vital-signs search, the labs show', async ({ page, request }) => {
  await knobs.set(request, { narrowCategory: 'laboratory' });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada.id);
  await expect(ehr.chart().section('allergies')).toContainText(ada.allergy);
  await expect(ehr.chart().section('vitals').getByTestId('section-outcome')).toHaveAttribute('data-outcome', 'scope-not-granted');
  await ehr.chart().reviewResults().click();
  await expect(ehr.detail().title()).toHaveText('Laboratory results');
  await expect(ehr.detail().resultRows().first()).toBeVisible();
  expect((await knobs.stats(request)).faults.narrowCategory).toBe(1);
});
