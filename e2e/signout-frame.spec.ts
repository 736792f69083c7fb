import { expect, test, type Frame } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import { EhrPage } from './pages/ehr-page';

// Issue 10: sign-out inside the EHR frame erases the device's copy there.
// Storage in a cross-site frame: Chromium 156's third-party-cookie phase-out also denies the
// frame IndexedDB, and the chart then keeps its copy in memory only (e2e/csp.spec.ts signs out
// in that browser too). Browsers without it (and Chrome where third-party cookies are allowed)
// give the frame partitioned storage, where a copy does stay on the device: that is the copy
// signing out must erase, so this file runs Chromium without the phase-out.
test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-features=TrackingProtection3pcd'],
  },
});

const doctor = FIXTURE_PRACTITIONERS[0]!;
const ada = FIXTURE_PATIENTS[0]!;

/** Housecall's partition databases and the partitions that still have a key, in this document. */
function offlineStorage(frame: Frame): Promise<{ databases: string[]; keyed: string[] }> {
  return frame.evaluate(async () => {
    const databases = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('housecall-'));
    let keyed: string[] = [];
    if (databases.includes('housecall-keys')) {
      keyed = await new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('housecall-keys');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('keys')) return resolve([]);
          const all = db.transaction('keys').objectStore('keys').getAllKeys();
          all.onsuccess = () => {
            db.close();
            resolve(all.result.map(String));
          };
          all.onerror = () => reject(all.error);
        };
      });
    }
    return { databases: databases.filter((n) => n.startsWith('housecall-p-')), keyed };
  });
}

test('signing out inside the EHR frame ends on the signed-out page in the frame, which erases the launch’s copy on the device', async ({ page }) => {
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, ada!.id);
  const chart = ehr.chart();
  await expect(chart.patientName()).toHaveText(ada!.display);
  await chart.settled();
  // The chart keeps an encrypted copy in the frame's (partitioned) storage, with its key.
  await expect.poll(async () => (await offlineStorage(ehr.appFrame())).databases.length).toBeGreaterThan(0);
  const stored = await offlineStorage(ehr.appFrame());
  const partition = stored.databases[0]!.replace('housecall-p-', '');
  expect(stored.keyed).toContain(partition);

  const signedOut = page.waitForResponse((r) => new URL(r.url()).pathname === '/signed-out');
  await ehr.frame().getByTestId('sign-out').click();
  const response = await signedOut;
  const url = new URL(response.url());
  expect(url.searchParams.get('issuer')).toBe('sandbox');
  expect(url.searchParams.get('wipe')).toBe(partition);
  expect(response.headers()['content-security-policy']).toContain(`frame-ancestors 'self' ${SANDBOX_ORIGIN};`);
  await expect(ehr.frame().getByTestId('signed-out')).toBeVisible();
  await expect(ehr.frame().getByTestId('local-wipe')).toHaveAttribute('data-state', 'done');
  const after = await offlineStorage(ehr.appFrame());
  expect(after.databases).toEqual([]);
  expect(after.keyed).not.toContain(partition);
});
