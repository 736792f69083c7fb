import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

const [ada, milo] = FIXTURE_PATIENTS;
const doctor = FIXTURE_PRACTITIONERS[0]!;
const ISS = `${SANDBOX_ORIGIN}/fhir`;

test('launch and callback responses are not cached, leak no referrer, and keep the session cookie small', async ({ page }) => {
  const launch = await page.request.get(`/launch?iss=${encodeURIComponent(ISS)}`, { maxRedirects: 0 });
  expect(launch.status()).toBe(302);
  expect(launch.headers()['cache-control']).toBe('no-store');
  expect(launch.headers()['referrer-policy']).toBe('no-referrer');
  const cookie = launch.headers()['set-cookie'] ?? '';
  expect(cookie).toMatch(/^__Host-hc_session=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/Secure/i);
  expect(cookie).toMatch(/SameSite=None/i);
  expect(cookie).toMatch(/Partitioned/i);
  expect(cookie.length).toBeLessThan(4096);
  const callback = await page.request.get('/redirect?code=x&state=unknown', { maxRedirects: 0 });
  expect(callback.status()).toBe(400);
  expect(callback.headers()['cache-control']).toBe('no-store');
  expect(callback.headers()['referrer-policy']).toBe('no-referrer');
});

test('parameters such as fhirServiceUrl, clientId and patientId in the launch URL are ignored', async ({ page }) => {
  const res = await page.request.get(`/launch?iss=${encodeURIComponent(ISS)}&fhirServiceUrl=${encodeURIComponent('https://evil.example/fhir')}&clientId=evil&patientId=pat-002`, { maxRedirects: 0 });
  const location = new URL(res.headers().location!);
  expect(location.origin).toBe(SANDBOX_ORIGIN);
  expect(location.searchParams.get('client_id')).toBe('housecall');
  expect(location.searchParams.get('aud')).toBe(ISS);
  expect(res.headers().location).not.toContain('evil');
  expect(res.headers().location).not.toContain('pat-002');
});

test('embedded pages may be framed only by their issuer’s EHR origins, with no X-Frame-Options', async ({ page }) => {
  const ehr = new EhrPage(page);
  const chartResponse = page.waitForResponse((r) => /\/l\/[^/]+\/chart$/.test(r.url()));
  await ehr.launch(doctor.id, ada!.id);
  const headers = (await chartResponse).headers();
  expect(headers['content-security-policy']).toContain(`frame-ancestors 'self' ${SANDBOX_ORIGIN};`);
  expect(headers['x-frame-options']).toBeUndefined();
  // Pages that belong to no issuer may be framed by no one else.
  const home = await page.request.get('/');
  expect(home.headers()['content-security-policy']).toContain("frame-ancestors 'self';");
});

test('interleaved launches in one browser (A starts, B starts, B returns, A returns) each get their own patient', async ({ context }) => {
  // Standalone launches in two tabs: each stops at the EHR's consent screen with its own
  // pending authorization, then B is approved before A.
  const a = new PortalPage(await context.newPage());
  const b = new PortalPage(await context.newPage());
  await a.openHousecall();
  await a.signInAs(ada!.id);
  await b.openHousecall();
  await b.signInAs(milo!.id);
  await b.approve();
  await expect(new ChartView(b.page).patientName()).toHaveText(milo!.display);
  await a.approve();
  await expect(new ChartView(a.page).patientName()).toHaveText(ada!.display);
  await b.page.reload();
  await expect(new ChartView(b.page).patientName()).toHaveText(milo!.display);
});

test('when the browser keeps no cookie for the frame, the callback offers to open Housecall in a new window, which works with single-use launch ids', async ({ page, context, request }) => {
  // Epic's launch ids are single use: the frame's authorization spends it, so the new window
  // must not replay it (issue 10).
  await knobs.set(request, { singleUseLaunch: true });
  // Simulate a browser that refuses the frame's cookie: strip Set-Cookie from /launch, the
  // first request of the chain (routing does not see the redirects after it).
  await context.route((url) => url.pathname === '/launch', async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const headers = { ...response.headers() };
    delete headers['set-cookie'];
    await route.fulfill({ response, headers });
  });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada!.id);
  await expect(ehr.frame().getByTestId('launch-error')).toHaveAttribute('data-error-code', 'session_missing');
  const link = ehr.frame().getByTestId('open-new-window');
  await expect(link).toHaveAttribute('target', '_blank');
  await context.unrouteAll();
  const href = (await link.getAttribute('href'))!;
  expect(new URL(href).searchParams.has('launch')).toBe(false);
  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  // A standalone sign-in at the same EHR: the same practitioner, the patient picked again.
  const portal = new PortalPage(popup);
  await portal.signInAs(doctor.id);
  await portal.pickPatient(ada!.id);
  await portal.approve();
  await expect(popup).toHaveURL(/\/l\/[A-Za-z0-9_-]+\/chart$/);
  await expect(popup.getByTestId('patient-name')).toHaveText(ada!.display);
  await knobs.reset(request);
});
