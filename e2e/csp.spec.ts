import { expect, test, type Frame, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { HOUSECALL_URL, SANDBOX_ORIGIN } from '../scripts/env';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { PortalPage } from './pages/portal-page';

// Issue 10, "the browser is told what to trust" and sign-out inside the EHR frame.
const doctor = FIXTURE_PRACTITIONERS[0]!;
const [ada, milo] = FIXTURE_PATIENTS;
const chartPatient = FIXTURE_PATIENTS[9]!;

type Violation = { directive: string; blocked: string };
declare global {
  interface Window {
    __cspViolations?: Violation[];
    __injectedRan?: boolean;
  }
}

// Every document of the test (frames included) records the violations it sees, from its start.
test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations?.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
});

function violations(where: Page | Frame): Promise<Violation[]> {
  return where.evaluate(() => window.__cspViolations ?? []);
}

/** The counter /api/metrics shows for reported violations of one directive and kind. */
async function reported(page: Page, directive: string, blocked: string): Promise<number> {
  const text = await (await page.request.get(`${HOUSECALL_URL}/api/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('housecall_csp_violations_total{') && l.includes(`directive="${directive}"`) && l.includes(`blocked="${blocked}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('a script injected into the chart in the EHR frame is refused, and the refusal is reported', async ({ page }) => {
  const before = await reported(page, 'script-src-elem', 'inline');
  const ehr = new EhrPage(page);
  const chartResponse = page.waitForResponse((r) => /\/l\/[^/]+\/chart$/.test(r.url()));
  await ehr.launch(doctor.id, chartPatient.id);
  const csp = (await chartResponse).headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain(`frame-ancestors 'self' ${SANDBOX_ORIGIN};`);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  const chart = ehr.chart();
  await expect(chart.patientName()).toHaveText(chartPatient.display);
  await chart.settled();
  const frame = ehr.appFrame();
  // Housecall's own scripts ran under the policy (the chart is interactive) and nothing was refused.
  expect(await violations(frame)).toEqual([]);

  // Markup an XSS would plant: an inline event handler, and a javascript: link the user clicks.
  // (A script element made by code that already runs is allowed by 'strict-dynamic' by design:
  // such code has run already; the policy stops markup from becoming code.)
  await frame.evaluate(() => {
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="/no-such-image.png" alt="" onerror="window.__injectedRan = true"><a data-testid="planted-link" href="javascript:window.__injectedRan = true">details</a>';
    document.body.append(holder);
  });
  await ehr.frame().getByTestId('planted-link').click();
  await expect.poll(() => violations(frame)).toEqual(expect.arrayContaining([
    { directive: 'script-src-elem', blocked: 'inline' },
    { directive: 'script-src-attr', blocked: 'inline' },
  ]));
  expect(await frame.evaluate(() => window.__injectedRan ?? false)).toBe(false);
  // The browser reports it to /api/csp-report, which counts it.
  await expect.poll(() => reported(page, 'script-src-elem', 'inline')).toBeGreaterThan(before);
  await expect.poll(() => reported(page, 'script-src-attr', 'inline')).toBeGreaterThan(0);
  // The chart still works: a section opens (a client navigation), still in the EHR's colours,
  // and the style element rendered once for the document is not replaced by one with a stale nonce.
  const refusedBefore = (await violations(frame)).length;
  await chart.openSection('allergies');
  await expect(ehr.detail().title()).toBeVisible();
  await expect.poll(() => frame.getByTestId('styled-root').evaluate((el) => getComputedStyle(el).getPropertyValue('--hc-accent').trim())).toBe('#0b5cad');
  expect((await violations(frame)).slice(refusedBefore)).toEqual([]);
});

test('the portal works under the policy, and the EHR’s style reaches it through a nonce’d style element', async ({ page }) => {
  const portal = new PortalPage(page);
  const response = page.waitForResponse((r) => /\/l\/[^/]+\/portal$/.test(r.url()));
  await portal.openHousecall();
  await portal.signInAs(milo!.id);
  await portal.approve();
  const csp = (await response).headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toBeTruthy();
  await expect(new ChartView(page).patientName()).toHaveText(milo!.display);
  await new ChartView(page).settled();
  // The sandbox EHR's highlight colour (sandbox/pages/smart-style.ts) applies, with no style attribute.
  const root = page.getByTestId('styled-root');
  await expect.poll(() => root.evaluate((el) => getComputedStyle(el).getPropertyValue('--hc-accent').trim())).toBe('#0b5cad');
  expect(await root.getAttribute('style')).toBeNull();
  expect(await violations(page)).toEqual([]);
  // A client-side navigation (Next.js loads more chunks under 'strict-dynamic') still works.
  await page.getByTestId('contact-link').click();
  await expect(page).toHaveURL(/\/portal\/contact$/);
  expect(await violations(page)).toEqual([]);
});

test('the offline shell is allowed by its build’s hashes, without a nonce, and may be framed by the EHR', async ({ page }) => {
  const res = await page.goto(`${HOUSECALL_URL}/offline`);
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(csp).not.toContain("'nonce-");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain(`frame-ancestors 'self' ${SANDBOX_ORIGIN};`);
  // The shell's client code ran (it has looked at the device's store), and nothing was refused.
  await expect(page.getByTestId('offline-shell')).toHaveAttribute('data-state', 'nothing');
  expect(await violations(page)).toEqual([]);
});

test('signing out inside the EHR frame (storage denied to the frame) still ends on the signed-out page there', async ({ page }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada!.id);
  await expect(ehr.chart().patientName()).toHaveText(ada!.display);
  await ehr.frame().getByTestId('sign-out').click();
  await expect(ehr.frame().getByTestId('signed-out')).toBeVisible();
  await expect(ehr.frame().getByTestId('local-wipe')).toHaveAttribute('data-state', 'done');
  expect(await violations(ehr.appFrame())).toEqual([]);
});

test('the signed-out page names no EHR it was not given: with an unknown issuer only Housecall may frame it', async ({ request }) => {
  const res = await request.get(`${HOUSECALL_URL}/signed-out?issuer=nobody`);
  expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'self';");
});
