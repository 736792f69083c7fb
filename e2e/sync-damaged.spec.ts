import { expect, test } from '@playwright/test';
import { FIXTURE_PATIENTS } from '../fixtures';
import { ContactDetails, telecom } from './pages/contact-details';
import { knobs } from './pages/sandbox-knobs';

// Issue 12 (nothing lost): a queued change the device can no longer decrypt is kept and shown to
// the person (what it was, and Discard), never deleted silently and never "All changes saved".
const patient = FIXTURE_PATIENTS[13]!;

test.beforeEach(async ({ request }) => knobs.reset(request));

test('a queued change that can no longer be decrypted is shown as damaged with Discard, not dropped', async ({ page, context }) => {
  const contact = new ContactDetails(page, patient.id);
  await contact.launchAndOpen();
  const before = telecom(await contact.serverPatient(), 'phone', 'mobile');
  await context.setOffline(true);
  await contact.save({ phone: `555-6${String(Date.now()).slice(-3)}` });
  await expect(contact.indicator()).toHaveText('1 change waiting for a connection');

  // The sealed outbox row is damaged on disk (a failing disk, a restored backup, an editor).
  const damaged = await page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name!).filter((n) => n.startsWith('housecall-p-'));
    let count = 0;
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction('records', 'readwrite');
      const store = tx.objectStore('records');
      const rows = await new Promise<{ type: string; data: ArrayBuffer }[]>((resolve) => {
        const r = store.getAll();
        r.onsuccess = () => resolve(r.result);
      });
      for (const row of rows.filter((x) => x.type === 'housecall:outbox')) {
        const bytes = new Uint8Array(row.data.slice(0));
        bytes[4] = bytes[4]! ^ 0xff;
        store.put({ ...row, data: bytes.buffer });
        count += 1;
      }
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    }
    return count;
  });
  expect(damaged).toBe(1);

  await context.setOffline(false); // the next round reads the outbox and meets the damaged row
  await expect(contact.indicator()).toHaveText('1 change saved on this device can no longer be read', { timeout: 30_000 });
  await page.getByTestId('sync-review-link').click();
  const item = page.getByTestId('damaged-change');
  await expect(item).toHaveAttribute('data-mutation', 'editTelecom');
  await expect(item.getByRole('heading')).toHaveText('Cannot be read: A phone or email change');
  await item.getByTestId('damaged-discard').click();
  await item.getByTestId('damaged-discard-confirm').click();
  await expect(page.getByTestId('damaged-change')).toHaveCount(0);
  await expect(contact.indicator()).toHaveText('All changes saved');
  expect(telecom(await contact.serverPatient(), 'phone', 'mobile')).toBe(before);
});
