import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import type { PartitionOwner } from '../lib/offline';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

// Issue 12 (nothing lost): two tabs opening a partition this device has never held, at the same
// moment, must agree on one key; otherwise the rows one tab seals are unreadable to the other and
// its queued change is gone after a reload. Driven through lib/sync and lib/offline bundled from
// e2e/harness/sync-harness.ts, in Chromium's real IndexedDB, WebCrypto and Web Locks.
const patient = FIXTURE_PATIENTS[19]!;
const doctor = FIXTURE_PRACTITIONERS[0]!;

let harness = '';
test.beforeAll(async () => {
  const out = await build({ entryPoints: [path.resolve('e2e/harness/sync-harness.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent' });
  harness = out.outputFiles[0]!.text;
});
test.beforeEach(async ({ request }) => knobs.reset(request));

async function open(page: Page, launchId: string, owner: PartitionOwner): Promise<void> {
  await page.addScriptTag({ content: harness });
  const persistent = await page.evaluate(async ([id, o]) => {
    window.syncHarness = await window.openSyncHarness(id!, o as PartitionOwner);
    return window.syncHarness.persistent;
  }, [launchId, owner] as const);
  expect(persistent).toBe(true);
}

const queueNote = (page: Page, text: string) =>
  page.evaluate(([pid, t, author]) => window.syncHarness.queue('draftNote', null, { patient: pid!, text: t!, author: { reference: author! } }), [patient.id, text, `Practitioner/${doctor.id}`] as const);

const outboxIds = (page: Page) => page.evaluate(async () => (await window.syncHarness.outbox()).map((e) => e.id).sort());

test('two tabs open the same new partition at once, each queues a change; after a reload every change is still there', async ({ page, context }) => {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(page).toHaveURL(/\/l\/[A-Za-z0-9_-]+\/portal$/);
  const launchId = new URL(page.url()).pathname.split('/')[2]!;
  const second = await context.newPage();
  await second.goto(page.url());
  await expect(second).toHaveURL(/\/portal$/);

  // A partition no tab has opened before: neither finds a key, both would make one.
  const owner: PartitionOwner = { issuer: `e2e-new-partition-${Date.now()}`, fhirUser: `Patient/${patient.id}`, patient: patient.id };
  await Promise.all([page.addScriptTag({ content: harness }), second.addScriptTag({ content: harness })]);
  // Both tabs wait on one BroadcastChannel message and open the partition the moment it comes,
  // so their key look-ups and creations overlap (without this, one tab tends to finish first).
  const opened = [page, second].map((p) =>
    p.evaluate(async ([id, o]) => {
      const go = new BroadcastChannel('e2e-open-partition');
      await new Promise<void>((resolve) => {
        go.onmessage = () => resolve();
        (window as unknown as { e2eWaiting: boolean }).e2eWaiting = true;
      });
      go.close();
      window.syncHarness = await window.openSyncHarness(id!, o as PartitionOwner);
    }, [launchId, owner] as const),
  );
  for (const p of [page, second]) await p.waitForFunction(() => (window as unknown as { e2eWaiting?: boolean }).e2eWaiting === true);
  const third = await context.newPage();
  await third.goto(page.url());
  await third.evaluate(() => new BroadcastChannel('e2e-open-partition').postMessage('go'));
  await third.close();
  await Promise.all(opened);
  const [a, b] = await Promise.all([queueNote(page, 'Queued in the first tab'), queueNote(second, 'Queued in the second tab')]);
  const both = [a.id, b.id].sort();
  expect(await outboxIds(page)).toEqual(both);
  expect(await outboxIds(second)).toEqual(both);

  await second.close();
  await page.reload();
  await open(page, launchId, owner);
  expect(await outboxIds(page)).toEqual(both);
});
