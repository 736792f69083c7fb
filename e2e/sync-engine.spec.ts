import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { AllergyIntolerance, Bundle, DocumentReference, Patient } from '@medplum/fhirtypes';
import { build } from 'esbuild';
import { FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { SANDBOX_ORIGIN } from '../scripts/env';
import type { DownloadTarget } from '../lib/sync';
import { ClinicianWindow } from './pages/clinician-window';
import { ContactDetails, telecom } from './pages/contact-details';
import { PortalPage } from './pages/portal-page';
import { knobs } from './pages/sandbox-knobs';

// What the portal and chart screens cannot drive (dependent creates, deletions, batches, paged downloads): lib/sync itself,
// bundled from e2e/harness/sync-harness.ts and injected into a portal page of a real launch, in
// Chromium against the real proxy and sandbox. No test route ships with the app.
const patient = FIXTURE_PATIENTS[19]!;
const doctor = FIXTURE_PRACTITIONERS[0]!;
const unique = () => String(Date.now()).slice(-4);
const allergies: DownloadTarget = { key: 'AllergyIntolerance', resourceType: 'AllergyIntolerance', params: { patient: patient.id } };
const thePatient: DownloadTarget = { key: `Patient/${patient.id}`, resourceType: 'Patient', id: patient.id };

let harness = '';
test.beforeAll(async () => {
  const out = await build({ entryPoints: [path.resolve('e2e/harness/sync-harness.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120', write: false, logLevel: 'silent' });
  harness = out.outputFiles[0]!.text;
});
test.beforeEach(async ({ request }) => knobs.reset(request));
test.afterEach(async ({ request }) => knobs.reset(request));

/** A portal launch with the harness opened on its own partition; returns the launch id. */
async function launchWithHarness(page: Page): Promise<ContactDetails> {
  const portal = new PortalPage(page);
  await portal.openHousecall();
  await portal.signInAs(patient.id);
  await portal.approve();
  await expect(page).toHaveURL(/\/l\/[A-Za-z0-9_-]+\/portal$/);
  const contact = new ContactDetails(page, patient.id);
  contact.launchId = new URL(page.url()).pathname.split('/')[2]!;
  await expect(contact.indicator()).toHaveText('All changes saved');
  await page.addScriptTag({ content: harness });
  const persistent = await page.evaluate(async ([launchId, id]) => {
    window.syncHarness = await window.openSyncHarness(launchId!, { issuer: 'e2e-harness', fhirUser: `Patient/${id}`, patient: id! });
    return window.syncHarness.persistent;
  }, [contact.launchId, patient.id]);
  expect(persistent).toBe(true);
  return contact;
}

const round = (page: Page, targets: DownloadTarget[], pageSize?: number) => page.evaluate(([t, n]) => window.syncHarness.round(t, n), [targets, pageSize] as const);
const cachedIds = (page: Page, type: string) => page.evaluate((t) => window.syncHarness.cachedIds(t), type);

test('a resource deleted at the EHR leaves the device’s cache at the next sync', async ({ page, request }) => {
  await launchWithHarness(page);
  expect(await round(page, [allergies])).toMatchObject({ outcome: 'ok', downloads: [{ status: 'done', strategy: 'full' }] });
  const before = await cachedIds(page, 'AllergyIntolerance');
  expect(before.length).toBeGreaterThan(0);
  const gone = before[0]!;
  const deleted = await request.post(`${SANDBOX_ORIGIN}/_fhir-delete`, { data: { resourceType: 'AllergyIntolerance', id: gone } });
  expect(deleted.status()).toBe(200);

  expect(await round(page, [allergies])).toMatchObject({ outcome: 'ok', downloads: [{ status: 'done', deletes: 1 }] });
  const after = await cachedIds(page, 'AllergyIntolerance');
  expect(after).not.toContain(gone);
  expect(after.sort()).toEqual(before.filter((id) => id !== gone).sort());
});

test('a batch in which the EHR refuses one change: the later change is still saved, the refused one is kept as failed with its code', async ({ page }) => {
  const contact = await launchWithHarness(page);
  await round(page, [thePatient, allergies]);
  const [allergyId] = await cachedIds(page, 'AllergyIntolerance');
  const phone = `555-9${unique()}`;
  await page.evaluate(async ([pid, aid, value]) => {
    const h = window.syncHarness;
    // A patient launch may read allergies but not change them: the proxy refuses this one (scope).
    const allergy = (await h.read<AllergyIntolerance>('AllergyIntolerance', aid!))!;
    await h.queue('commentOnAllergy', allergy, { text: 'Worse in spring', author: { reference: `Patient/${pid}` } });
    const me = (await h.read<Patient>('Patient', pid!))!;
    await h.queue('editTelecom', me, { system: 'phone', use: 'mobile', value: value! });
  }, [patient.id, allergyId!, phone]);

  expect(await round(page, [])).toMatchObject({ outcome: 'ok', upload: { sent: 2, synced: 1, failed: 1 } });
  const outbox = await page.evaluate(() => window.syncHarness.outbox());
  expect(outbox).toHaveLength(1);
  expect(outbox[0]).toMatchObject({ mutation: 'commentOnAllergy', state: 'failed', lastError: { code: 'scope-not-granted', status: 403 } });
  expect(outbox[0]!.payload).toBeTruthy();
  expect(telecom(await contact.serverPatient(), 'phone', 'mobile')).toBe(phone);
});

test('a 429 on one resource type holds back only that type; the other type’s change and download go through', async ({ page, request }) => {
  const contact = await launchWithHarness(page);
  await round(page, [thePatient, allergies]);
  const phone = `555-0${unique()}`;
  await page.evaluate(async ([pid, value]) => {
    const me = (await window.syncHarness.read<Patient>('Patient', pid!))!;
    await window.syncHarness.queue('editTelecom', me, { system: 'phone', use: 'mobile', value: value! });
  }, [patient.id, phone]);
  await knobs.set(request, { fhirError: { status: 429, retryAfterSeconds: 7, resourceTypes: ['AllergyIntolerance'] } });

  const started = Date.now();
  const result = await round(page, [allergies, thePatient]);
  expect(result).toMatchObject({ outcome: 'retry', upload: { synced: 1 }, downloads: [{ key: 'AllergyIntolerance', status: 'retry', retryAfterMs: 7_000 }, { key: thePatient.key, status: 'done' }] });
  expect(result.retryAt! - started).toBeGreaterThanOrEqual(7_000);
  expect(telecom(await contact.serverPatient(), 'phone', 'mobile')).toBe(phone);
});

test('an access token the EHR rejects between two pages of a download is refreshed, and no page is skipped', async ({ page, request }) => {
  const contact = await launchWithHarness(page);
  // By category, as the app downloads them (an Observation search naming none is refused, as by Epic).
  const observations: DownloadTarget = { key: 'Observation', resourceType: 'Observation', params: { patient: patient.id, category: 'laboratory' } };
  const counted = await page.request.get(`/api/l/${contact.launchId}/fhir/Observation?patient=${patient.id}&category=laboratory&_summary=count`);
  const total = ((await counted.json()) as { total: number }).total;
  expect(total).toBeGreaterThan(20);

  // Every request waits a second at the EHR before its token is checked: the 401, armed as the
  // first page arrives, is taken by the second page's request.
  await knobs.set(request, { fhirLatencyMs: 1_000 });
  const firstPage = page.waitForResponse((r) => r.request().method() === 'GET' && /\/fhir\/Observation\?/.test(r.url()));
  const running = round(page, [observations], 20);
  await firstPage;
  await knobs.set(request, { fhir401: { count: 1 } });
  const result = await running;

  expect(result.downloads[0]).toMatchObject({ status: 'done', pages: Math.ceil(total / 20), upserts: total });
  const stats = await knobs.stats(request);
  expect(stats.faults.fhir401).toBe(1);
  expect(stats.tokenRequests.refresh_token).toBe(1);
  expect(stats.rotatedRefreshTokenReuse).toBe(0);
  expect(await cachedIds(page, 'Observation')).toHaveLength(total);
  await knobs.reset(request);
  // Nothing was missing: the next full refetch finds every copy already held.
  expect(await round(page, [observations], 20)).toMatchObject({ downloads: [{ status: 'done', upserts: 0, deletes: 0 }] });
});

test('a note, its signature and an addendum written offline: the note is created first, then the others go to its EHR id, with the addendum’s reference rewritten', async ({ context }) => {
  const own = await ClinicianWindow.open(context, doctor.id, patient.id);
  await own.page.addScriptTag({ content: harness });
  await own.page.evaluate(async ([launchId, pid, prac]) => {
    window.syncHarness = await window.openSyncHarness(launchId!, { issuer: 'e2e-harness', fhirUser: `Practitioner/${prac}`, patient: pid! });
  }, [own.launchId, patient.id, doctor.id]);
  const marker = `visit-${unique()}-${Date.now()}`;
  await context.setOffline(true);
  const noteLocalId = await own.page.evaluate(async ([pid, prac, text]) => {
    const h = window.syncHarness;
    const author = { reference: `Practitioner/${prac}` };
    const note = await h.queue('draftNote', null, { patient: pid!, text: `${text} note`, author });
    const local = (await h.read<DocumentReference>('DocumentReference', note.localId!))!;
    await h.queue('signNote', local, { author });
    await h.queue('draftNote', null, { patient: pid!, text: `${text} addendum`, author, appendsTo: { reference: `DocumentReference/${note.localId}` } });
    return note.localId!;
  }, [patient.id, doctor.id, marker]);
  expect(await round(own.page, [])).toMatchObject({ outcome: 'offline' });

  await context.setOffline(false);
  const writes: { method: string; url: string; body: DocumentReference }[] = [];
  own.page.on('request', (r) => {
    if (r.method() !== 'GET' && /\/fhir\/DocumentReference/.test(r.url())) writes.push({ method: r.method(), url: r.url(), body: r.postDataJSON() as DocumentReference });
  });
  // Rounds as the coordinator runs them: the offline attempt put the note on a short backoff.
  let synced = 0;
  await expect.poll(async () => {
    const result = await round(own.page, []);
    expect(result.upload).toMatchObject({ failed: 0, conflicts: 0 });
    synced += result.upload?.synced ?? 0;
    return (await own.page.evaluate(() => window.syncHarness.outbox())).length;
  }, { timeout: 20_000, intervals: [500] }).toBe(0);
  expect(synced).toBe(3);

  const found = await own.page.evaluate(async (url) => {
    const res = await fetch(url);
    return { status: res.status, body: (await res.json()) as Bundle<DocumentReference> };
  }, `/api/l/${own.launchId}/fhir/DocumentReference?patient=${patient.id}&_count=200`);
  expect(found.status).toBe(200);
  const docs = (found.body.entry ?? []).map((e) => e.resource!).filter((d) => atob(d.content?.[0]?.attachment?.data ?? '').startsWith(marker));
  expect(docs).toHaveLength(2); // conditional creates: nothing twice
  const note = docs.find((d) => !d.relatesTo)!;
  const addendum = docs.find((d) => d.relatesTo)!;
  expect(note.docStatus).toBe('final');
  expect(note.id).not.toBe(noteLocalId);
  expect(addendum.relatesTo).toEqual([{ code: 'appends', target: { reference: `DocumentReference/${note.id}` } }]);
  // The create went first; the signature and the addendum were sent after it, to the EHR's id.
  expect(writes[0]).toMatchObject({ method: 'POST', body: { docStatus: 'preliminary' } });
  expect(writes[0]!.body.relatesTo).toBeUndefined();
  expect(writes.map((w) => w.method).sort()).toEqual(['POST', 'POST', 'PUT']);
  expect(writes.find((w) => w.method === 'PUT')!.url).toMatch(new RegExp(`/fhir/DocumentReference/${note.id}$`));
  expect(writes.find((w) => w.method === 'POST' && w.body.relatesTo)!.body.relatesTo![0]!.target.reference).toBe(`DocumentReference/${note.id}`);
  expect(JSON.stringify(writes.map((w) => w.body))).not.toContain(noteLocalId);
});
