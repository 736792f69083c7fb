import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS } from '../fixtures';
import { ContactDetails, telecom } from './pages/contact-details';
import { knobs } from './pages/sandbox-knobs';
import { openContactIn, recordIndicator, recordProxyCalls, recordWrites, versionCount } from './pages/sync-probe';

// Several tabs of one portal launch (same browser context: one session, one IndexedDB, one set
// of Web Locks and BroadcastChannels). Each test reads the EHR's current copy first, so it does not
// depend on what other specs changed for the same patient.
const shared = FIXTURE_PATIENTS[15]!;
const closedOffline = FIXTURE_PATIENTS[16]!;
const closedInFlight = FIXTURE_PATIENTS[17]!;
const holderClosed = FIXTURE_PATIENTS[8]!;
const unique = () => String(Date.now()).slice(-4);

test.beforeEach(async ({ request }) => knobs.reset(request));
test.afterEach(async ({ request }) => knobs.reset(request));

test('two tabs: one syncs while the other follows, and a change made in the follower is sent once, after the holder finished', async ({ page, context, request }) => {
  const a = new ContactDetails(page, shared.id);
  await a.launchAndOpen();
  const b = await openContactIn(await context.newPage(), a.launchId, shared.id);
  await expect(b.indicator()).toHaveText('All changes saved');
  await expect(a.indicator()).toHaveText('All changes saved');
  const before = await versionCount(page.request, a.launchId, shared.id);
  const aCalls = recordProxyCalls(a.page);
  const bCalls = recordProxyCalls(b.page);

  // Tab A syncs, slowly: tab B shows it from A's broadcasts and sends nothing of its own.
  await knobs.set(request, { fhirLatencyMs: 2_000 });
  await a.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(b.page.locator('[data-sync-state]')).toHaveAttribute('data-sync-state', 'syncing');
  await expect(b.indicator()).toHaveText('Syncing…');
  await expect.poll(() => aCalls.length).toBeGreaterThan(0);
  expect(bCalls).toEqual([]);

  // A change made in B while A holds the lock is sent once, by one tab at a time.
  const phone = `555-7${unique()}`;
  await b.save({ phone });
  // Two rounds at 2 s a request: each reads the patient, then every target one after another
  // (Observations by category are two), so the wait is long by design, not a timing check.
  await expect(a.indicator()).toHaveText('All changes saved', { timeout: 60_000 });
  await expect(b.indicator()).toHaveText('All changes saved', { timeout: 60_000 });
  await knobs.reset(request);
  expect(telecom(await b.serverPatient(), 'phone', 'mobile')).toBe(phone);

  expect([...aCalls, ...bCalls].filter((c) => c.method === 'PUT')).toHaveLength(1);
  // No request of one tab overlapped a request of the other: the lock let one tab sync at a time.
  for (const x of aCalls) for (const y of bCalls) expect(x.doneAt! <= y.at || y.doneAt! <= x.at).toBe(true);
  expect(await versionCount(page.request, a.launchId, shared.id)).toBe(before + 1);
});

test('a change saved offline in a tab that was then closed is sent when the portal is opened again', async ({ page, context }) => {
  const a = new ContactDetails(page, closedOffline.id);
  await a.launchAndOpen();
  const before = await versionCount(page.request, a.launchId, closedOffline.id);
  await context.setOffline(true);
  const email = `closed.${unique()}@example.org`;
  await a.save({ email });
  await expect(a.indicator()).toHaveText('1 change waiting for a connection');
  await page.close();
  await context.setOffline(false);
  expect(await versionCount(context.request, a.launchId, closedOffline.id)).toBe(before);

  const again = await context.newPage();
  const writes = recordWrites(again);
  const sentences = await recordIndicator(again);
  const b = await openContactIn(again, a.launchId, closedOffline.id);
  await expect.poll(async () => telecom(await b.serverPatient(), 'email', 'home'), { timeout: 30_000 }).toBe(email);
  await expect(b.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  expect(writes.map((w) => w.status)).toEqual([200]);
  // Never "All changes saved" while the change was still on the device only.
  const told = await sentences();
  expect(told.slice(0, told.indexOf('All changes saved'))).toContain('Syncing…');
  expect(await versionCount(context.request, a.launchId, closedOffline.id)).toBe(before + 1);
});

test('a tab closed while its change was in flight: the next tab sends it again safely and the EHR holds it once', async ({ page, context, request }) => {
  const a = new ContactDetails(page, closedInFlight.id);
  await a.launchAndOpen();
  const before = await versionCount(page.request, a.launchId, closedInFlight.id);
  const firstWrites = recordWrites(page);
  await knobs.set(request, { fhirLatencyMs: 2_000 });
  const line = `${unique()} Closing Lane`;
  await a.save({ line });
  await expect.poll(() => firstWrites.length).toBe(1);
  await page.close(); // the answer never reaches this tab; the entry stays in flight in IndexedDB

  const again = await context.newPage();
  const writes = recordWrites(again);
  const b = await openContactIn(again, a.launchId, closedInFlight.id);
  await expect(b.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  expect(writes).toHaveLength(1);
  // The first PUT was applied after its tab closed, or not at all: either way one new version.
  expect([200, 412]).toContain(writes[0]!.status);
  await expect(again.getByTestId('sync-review-link')).toHaveCount(0);
  await knobs.reset(request);
  expect((await b.serverPatient()).address?.find((x) => x.use === 'home')?.line?.[0]).toBe(line);
  expect(await versionCount(context.request, a.launchId, closedInFlight.id)).toBe(before + 1);
});

test('the tab holding the sync lock is closed mid-round: the tab that was following takes over at once and sends its change', async ({ page, context, request }) => {
  const a = new ContactDetails(page, holderClosed.id);
  await a.launchAndOpen();
  const b = await openContactIn(await context.newPage(), a.launchId, holderClosed.id);
  await expect(b.indicator()).toHaveText('All changes saved');
  const writes = recordWrites(b.page);

  await knobs.set(request, { fhirLatencyMs: 3_000 });
  await a.page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await expect(b.indicator()).toHaveText('Syncing…');
  const phone = `555-1${unique()}`;
  await b.save({ phone }); // A holds the lock: B's change waits for it
  await page.close(); // the lock is released without A announcing the end of its round
  await knobs.reset(request);

  await expect(b.indicator()).toHaveText('All changes saved', { timeout: 20_000 });
  expect(writes.map((w) => w.status)).toEqual([200]);
  expect(telecom(await b.serverPatient(), 'phone', 'mobile')).toBe(phone);
});

test('two tabs each save a different detail offline on the same old copy: back online, both changes reach the EHR', async ({ page, context }) => {
  const a = new ContactDetails(page, closedInFlight.id);
  await a.launchAndOpen();
  const b = await openContactIn(await context.newPage(), a.launchId, closedInFlight.id);
  await expect(b.indicator()).toHaveText('All changes saved');
  await context.setOffline(true);
  const phone = `555-4${unique()}`;
  const email = `tabs.${unique()}@example.org`;
  await a.save({ phone }); // B's form still shows the copy from before this change
  await b.save({ email });
  await context.setOffline(false);

  await expect.poll(async () => {
    const p = await b.serverPatient();
    return [telecom(p, 'phone', 'mobile'), telecom(p, 'email', 'home')];
  }, { timeout: 30_000 }).toEqual([phone, email]);
  await expect(a.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  await expect(b.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  const after = await b.serverPatient();
  expect([telecom(after, 'phone', 'mobile'), telecom(after, 'email', 'home')]).toEqual([phone, email]);
});
