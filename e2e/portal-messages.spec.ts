/**
 * Messages with the care team (issue 14), on a phone: a patient writes to their GP (the draft
 * survives a reload, a wrong file is refused with a reason), sends it through the outbox, the GP
 * reads and answers it in the sandbox EHR's inbox, and the patient sees the answer in the same
 * thread. Every page passes axe with no serious finding and has 44 px targets.
 */
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS, MESSAGE_FACTS } from '../fixtures';
import { problemsWithin, smallTargetsOnPage } from './pages/accessibility';
import { ChartView } from './pages/chart-view';
import { EhrPage } from './pages/ehr-page';
import { MessagesPage } from './pages/messages-page';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';
import { HOUSECALL_URL } from '../scripts/env';

const PHONE = { width: 360, height: 740 };
const patient = FIXTURE_PATIENTS[16]!;
const gp = FIXTURE_PRACTITIONERS.find((p) => p.id === patient.practitionerId)!;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function patientPortal(page: Page, who = patient): Promise<string> {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(who.id);
  await portal.approve();
  await expect(page.getByTestId('chart-summary')).toBeVisible();
  await new ChartView(page).settled();
  return new URL(page.url()).pathname.replace(/\/portal(\/.*)?$/, '');
}

async function accessible(page: Page, what: string): Promise<void> {
  expect(await smallTargetsOnPage(page), `${what}: targets under 44 px`).toEqual([]);
  const findings = (await problemsWithin(page, ['main'])).filter((f) => f.startsWith('axe:'));
  expect(findings, `${what}: serious axe findings`).toEqual([]);
}

test('a patient messages their GP from a phone, the GP answers in the EHR inbox, and the patient reads the answer', async ({ page, context, request }) => {
  test.setTimeout(180_000);
  await page.setViewportSize(PHONE);
  const base = await patientPortal(page);
  const messages = new MessagesPage(page);

  // The list: the seeded threads, newest activity first, the GP's new message marked unread.
  await page.getByTestId('messages-link').click();
  await expect(messages.threads()).toHaveCount(MESSAGE_FACTS.threads);
  await expect(messages.threads().first()).toHaveAttribute('data-unread', 'yes');
  await expect(messages.thread(MESSAGE_FACTS.unreadTopic)).toHaveAttribute('data-unread', 'yes');
  await accessible(page, 'thread list');

  // Compose to the GP, chosen by name; the draft is in the encrypted store and survives a reload.
  await page.getByTestId('messages-new').click();
  await messages.chooseRecipient(gp.display);
  const topic = 'Swollen ankle';
  const text = 'My left ankle has been swollen since Tuesday. Photo attached.';
  await messages.write({ topic, text });
  await page.reload();
  await expect(page.getByTestId('compose')).toHaveAttribute('data-loaded', 'yes');
  await expect(page.getByTestId('compose-text')).toHaveValue(text);
  await expect(page.getByTestId('compose-topic')).toHaveValue(topic);
  await expect(page.getByTestId('person-option').filter({ hasText: gp.display }).getByRole('radio')).toBeChecked();

  // A file that only claims to be a photo is refused with a reason; a real photo is kept.
  await messages.attach({ name: 'ankle.png', mimeType: 'image/png', buffer: Buffer.from('MZ this is not a picture') });
  await expect(page.getByTestId('attachment-refused')).toContainText('Only photos');
  await messages.attach({ name: 'ankle.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByTestId('attachment-list')).toContainText('ankle.png');
  await accessible(page, 'new message');

  await messages.send();
  await expect(page).toHaveURL(/\/portal\/messages\?sent=1$/);
  const mine = messages.thread(topic);
  await expect(mine).toHaveCount(1);
  await expect(mine).not.toContainText('Not sent yet', { timeout: 30_000 }); // the outbox sent it

  // The GP reads it in the sandbox EHR's inbox and replies.
  const ehrTab = await context.newPage();
  await ehrTab.setViewportSize(PHONE);
  const ehr = new EhrPage(ehrTab);
  await ehr.openInbox(gp.id);
  const item = ehrTab.getByTestId('inbox-item').filter({ hasText: topic });
  await expect(item).toHaveCount(1);
  await expect(item).toHaveAttribute('data-unread', 'yes');
  const answer = 'Please keep it raised tonight and come in tomorrow at 9.';
  await ehr.replyInInbox(topic, answer);
  await expect(ehrTab.getByTestId('inbox-notice')).toHaveText('Reply sent.');
  await expect(ehrTab.getByTestId('inbox-thread')).toContainText(text);
  await expect(ehrTab.getByTestId('inbox-attachment')).toContainText('ankle.png');
  await ehrTab.close();

  // The patient sees the answer in the same thread, newest activity first in the list.
  await page.goto(`${base}/portal/messages`);
  await expect(messages.threads().first()).toContainText(topic);
  await expect(messages.thread(topic)).toHaveAttribute('data-unread', 'yes');
  await messages.thread(topic).getByRole('link').click();
  const thread = page.getByTestId('thread');
  await expect(thread.getByTestId('message')).toHaveCount(2);
  await expect(thread.getByTestId('message').nth(0)).toHaveAttribute('data-stage', /^(sent|read)$/);
  await expect(thread.getByTestId('message').nth(1).getByTestId('message-text')).toHaveText(answer);
  await accessible(page, 'thread');

  // Opening the thread marked the answer read at the EHR (received, sent once through the outbox),
  // and the patient's message was filed once, with its photo.
  await expect.poll(async () => {
    const held = await knobs.read<{ sender?: { reference?: string }; received?: string; payload?: { contentString?: string }[] }>(request, 'Communication', patient.id);
    return held.filter((c) => c.payload?.[0]?.contentString === answer).map((c) => typeof c.received);
  }, { timeout: 30_000 }).toEqual(['string']);
  const held = await knobs.read<{ payload?: { contentString?: string; contentAttachment?: { contentType?: string } }[] }>(request, 'Communication', patient.id);
  const filed = held.filter((c) => c.payload?.[0]?.contentString === text);
  expect(filed).toHaveLength(1);
  expect(filed[0]!.payload?.[1]?.contentAttachment?.contentType).toBe('image/png');
  await page.goto(`${base}/portal/messages`);
  await expect(messages.thread(topic)).toHaveAttribute('data-unread', 'no');
});

/** The e2e database outlives a run: revoke every choice in force for the signed-in patient. */
async function clearChoices(page: Page, base: string): Promise<void> {
  await page.evaluate(async (url) => {
    const list = (await (await fetch(url)).json()) as { entry?: { resource: { id: string; status: string } }[] };
    for (const e of list.entry ?? []) if (e.resource.status === 'active') await fetch(`${url}/${e.resource.id}`, { method: 'DELETE' });
  }, `/api${base}/consents`);
}

test('a person the patient keeps out of their record is not offered as a recipient, and the proxy refuses a message to them', async ({ page }) => {
  await page.setViewportSize(PHONE);
  const other = FIXTURE_PATIENTS[17]!;
  const nurse = FIXTURE_PRACTITIONERS.find((p) => p.id === 'prac-003')!;
  const base = await patientPortal(page, other);
  await clearChoices(page, base);
  const recorded = await page.evaluate(async ([url, id]) => (await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'restrict-practitioner', practitionerId: id }) })).status, [`/api${base}/consents`, nurse.id]);
  expect(recorded).toBe(201);
  try {
    await page.goto(`${base}/portal/messages/new`);
    await expect(page.getByTestId('person-picker')).toHaveAttribute('data-state', 'list');
    await expect(page.getByTestId('person-option').filter({ hasText: FIXTURE_PRACTITIONERS.find((p) => p.id === other.practitionerId)!.display })).toHaveCount(1);
    await expect(page.getByTestId('person-option').filter({ hasText: nurse.display })).toHaveCount(0);
    await expect(page.getByTestId('compose-withheld')).toContainText('One person');
    // Written by hand past the form, the message is refused before it reaches the EHR, with a stable code.
    const refused = await page.evaluate(async ([url, patientRef, to]) => {
      const body = { resourceType: 'Communication', status: 'completed', subject: { reference: patientRef }, sender: { reference: patientRef }, recipient: [{ reference: to }], payload: [{ contentString: 'Hello' }] };
      const res = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) });
      const outcome = (await res.json()) as { issue?: { details?: { coding?: { code?: string }[] } }[] };
      return [res.status, outcome.issue?.[0]?.details?.coding?.[0]?.code];
    }, [`/api${base}/fhir/Communication`, `Patient/${other.id}`, `Practitioner/${nurse.id}`]);
    expect(refused).toEqual([403, 'recipient-not-allowed']);
    await accessible(page, 'new message with a restriction');
  } finally {
    await clearChoices(page, base);
  }
});

/** A patient on a phone, in the portal, opening the thread with the unread message. */
async function openUnreadThread(page: Page) {
  await page.setViewportSize(PHONE);
  const who = FIXTURE_PATIENTS[18]!;
  const base = await patientPortal(page, who);
  const messages = new MessagesPage(page);
  await page.goto(`${base}/portal/messages`);
  await messages.thread(MESSAGE_FACTS.unreadTopic).getByRole('link').click();
  return { who, base, messages };
}

test('a reply written offline waits in the outbox, keeps its draft across a reload, and is sent exactly once when the connection returns', async ({ page, context, request }) => {
  test.setTimeout(120_000);
  const { who, base, messages } = await openUnreadThread(page);
  await expect(page.getByTestId('thread').getByTestId('message')).toHaveCount(1);

  await context.setOffline(true);
  try {
    const reply = 'Thank you, see you then.';
    await messages.write({ text: reply });
    await page.reload().catch(() => undefined); // the offline shell or the cached page: either way the draft must come back
    await context.setOffline(false);
    await page.goto(`${base}/portal/messages`);
    await messages.thread(MESSAGE_FACTS.unreadTopic).getByRole('link').click();
    await expect(page.getByTestId('compose-text')).toHaveValue(reply);

    await context.setOffline(true);
    await messages.send();
    const mine = page.getByTestId('message').filter({ hasText: reply });
    await expect(mine).toHaveAttribute('data-stage', 'waiting');
    await expect(mine.getByTestId('message-stage')).toContainText('Waiting to send');
    await expect(page.getByTestId('compose-text')).toHaveValue('');
    await context.setOffline(false);
    await expect(mine).toHaveAttribute('data-stage', /^(sent|read)$/, { timeout: 30_000 });
    await expect.poll(async () => (await knobs.read<{ payload?: { contentString?: string }[] }>(request, 'Communication', who.id)).filter((c) => c.payload?.[0]?.contentString === reply).length, { timeout: 15_000 }).toBe(1);
  } finally {
    await context.setOffline(false);
  }
});

test('the browser clearing its storage with a reply waiting: told it was lost, and a reply written after it is refused with its text kept, not queued where it can never be sent from', async ({ page, context, request }) => {
  test.setTimeout(120_000);
  const { who, messages } = await openUnreadThread(page);
  await expect(page.getByTestId('thread').getByTestId('message').first()).toBeVisible();
  const lost = `Lost with the storage ${Date.now().toString(36)}.`;
  const refused = `Written after the storage went ${Date.now().toString(36)}.`;
  // Opening the thread marks its message read, itself a queued change: let it reach the EHR first.
  await expect(page.getByTestId('sync-indicator')).toHaveText('All changes saved', { timeout: 30_000 });
  await context.setOffline(true);
  try {
    await messages.write({ text: lost });
    await messages.send();
    await expect(page.getByTestId('message').filter({ hasText: lost })).toHaveAttribute('data-stage', 'waiting');
    // What "clear site data" (or the browser's own eviction) does: the databases go, open connections are closed.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.clearDataForOrigin', { origin: new URL(HOUSECALL_URL).origin, storageTypes: 'indexeddb,local_storage' });
    await context.setOffline(false);
    await expect(page.getByTestId('sync-indicator')).toHaveText('This browser cleared Housecall’s storage on this device — 1 change not yet sent was lost and did not reach your record: please make it again', { timeout: 30_000 });

    // The box says a draft cannot be kept now; a reply sent anyway is refused and stays on screen.
    await page.getByTestId('compose-text').fill(refused);
    await expect(page.getByTestId('compose-kept')).toHaveAttribute('data-kept', 'lost');
    await page.getByTestId('compose-send').click();
    await expect(page.getByTestId('compose-problem')).toContainText('This browser cleared Housecall’s storage on this device, so no change can be kept here until the page is loaded again.');
    await expect(page.getByTestId('compose-text')).toHaveValue(refused);
    await expect(page.getByTestId('sync-indicator')).toHaveText(/^This browser cleared Housecall’s storage on this device — 1 change not yet sent was lost/);
    const sent = (await knobs.read<{ payload?: { contentString?: string }[] }>(request, 'Communication', who.id)).map((c) => c.payload?.[0]?.contentString);
    expect(sent).not.toContain(lost);
    expect(sent).not.toContain(refused);
  } finally {
    await context.setOffline(false);
  }
});

test.describe('with no service worker', () => {
  // page.route sees a request only when no service worker stands between the page and the
  // network: once the worker controls the page (it claims it when installed, sooner or later
  // depending on the machine's load), even the /api requests it lets through go past the route,
  // the held request below is never held and the test used to wait for it until it timed out.
  // This test is about the sync coordinator, not the worker.
  test.use({ serviceWorkers: 'block' });

  test('a reply is sent as soon as the connection returns, even while the round that failed offline is still finishing', async ({ page, context, request }) => {
    test.setTimeout(120_000);
    const { who, messages } = await openUnreadThread(page);
    await expect(page.getByTestId('thread').getByTestId('message').first()).toBeVisible();

    // The round "Send" starts offline asks for the consent directive first. That request is held
    // until the connection is back, then fails as a request sent offline does: the order a busy
    // phone meets when the network returns while that round is still running. The reconnect
    // must not be lost in it (lib/sync coordinator.ts), nor wait for the one-minute timer.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const held = new Promise<void>((r) => (reached = r));
    let first = true;
    await page.route('**/sync/consent', async (route) => {
      if (!first) return route.continue();
      first = false;
      reached();
      await released;
      await route.abort('internetdisconnected');
    });
    await context.setOffline(true);
    try {
      const reply = 'Sent while the connection came back.';
      await messages.write({ text: reply });
      await messages.send();
      const mine = page.getByTestId('message').filter({ hasText: reply });
      await expect(mine).toHaveAttribute('data-stage', 'waiting');
      await Promise.race([held, new Promise((_, reject) => setTimeout(() => reject(new Error('the round never asked for the consent directive through the route')), 15_000))]);
      await context.setOffline(false);
      // The browser's 'online' event reaches the page before the held request fails.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
      release();
      await expect(mine).toHaveAttribute('data-stage', /^(sent|read)$/);
      await expect.poll(async () => (await knobs.read<{ payload?: { contentString?: string }[] }>(request, 'Communication', who.id)).filter((c) => c.payload?.[0]?.contentString === reply).length).toBe(1);
    } finally {
      release();
      await context.setOffline(false);
    }
  });
});
