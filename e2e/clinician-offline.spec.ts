import { expect, test } from '@playwright/test';
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { buildSeed, FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../fixtures';
import { ClinicianWindow, viewsPrefetched } from './pages/clinician-window';
import { EhrPage } from './pages/ehr-page';
import { knobs } from './pages/sandbox-knobs';

// Patients no other spec writes to: these tests add notes and allergy comments in the sandbox.
const reader = FIXTURE_PATIENTS[11]!;
const writer = FIXTURE_PATIENTS[12]!;
const doctor = FIXTURE_PRACTITIONERS[0]!;
const seed = buildSeed();
const allergyOf = (patientId: string) => seed.patients.find((p) => p.patient.id === patientId)!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance & { id: string };
const unique = () => String(Date.now()).slice(-6);

test.afterEach(async ({ context, request }) => {
  await context.setOffline(false);
  await knobs.reset(request);
});

test('offline, the chart moves between sections client-side and shows each section from the device with its age', async ({ context }) => {
  const own = await ClinicianWindow.open(context, doctor.id, reader.id);
  const { chart, detail, page } = own;
  // Seen once while online: the allergies and the encounters.
  await chart.openSection('allergies');
  await expect(detail.items()).toHaveCount(1);
  await own.backToSummary();
  await chart.moreSections().getByRole('link', { name: 'Encounters' }).click();
  await expect(detail.items()).toHaveCount(5);
  await own.backToSummary();
  await expect(own.offlineNotices()).toHaveCount(0);
  // Every answer is in an encrypted partition database of this window.
  expect(await page.evaluate(async () => (await indexedDB.databases()).some((d) => d.name?.startsWith('housecall-p-')))).toBe(true);

  await context.setOffline(true);
  // Going offline, the summary on screen says at once that it is the saved copy.
  await expect(own.offlineNotices(chart.section('allergies'))).toHaveCount(1);
  await chart.openSection('allergies');
  await expect(detail.title()).toHaveText('Allergies');
  await expect(detail.items()).toHaveCount(1);
  await expect(detail.items().first()).toContainText(reader.allergy);
  await expect(own.offlineNotices()).toHaveCount(1);
  await expect(own.offlineNotices().first()).toHaveText(/^Offline: showing what was saved at \d{2}:\d{2}( [AP]M)? \((just now|\d+ min ago)\)$/);

  await own.backToSummary();
  await expect(chart.section('allergies')).toContainText(reader.allergy);
  await expect(own.offlineNotices(chart.section('allergies'))).toHaveCount(1);
  await expect(own.offlineNotices(chart.section('problems'))).toHaveCount(1);
  await expect(chart.section('problems')).toContainText(reader.problem);

  await chart.moreSections().getByRole('link', { name: 'Encounters' }).click();
  await expect(detail.title()).toHaveText('Encounters');
  await expect(detail.items()).toHaveCount(5);
  await expect(own.offlineNotices()).toHaveCount(1);
  // A section never opened here was never saved: it says there is no connection, not "nothing recorded".
  await own.backToSummary();
  await chart.moreSections().getByRole('link', { name: 'Immunizations' }).click();
  await expect(detail.title()).toHaveText('Immunizations');
  await expect(page.getByTestId('section-outcome')).toHaveAttribute('data-outcome', 'network');

  // Back online, the views ask the EHR again and the notices go.
  await context.setOffline(false);
  await own.backToSummary();
  await expect(own.offlineNotices()).toHaveCount(0);
  await expect(chart.section('allergies')).toContainText(reader.allergy);
});

test('inside the EHR frame, where IndexedDB is refused, the chart still shows what it saw, from memory', async ({ page, context }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const ehr = new EhrPage(page);
  const prefetched = viewsPrefetched(page);
  await ehr.launch(doctor.id, reader.id);
  const chart = ehr.chart();
  const detail = ehr.detail();
  await chart.settled();
  // Nothing of the chart reaches IndexedDB here: the store runs on memory.
  expect(await ehr.appFrame().evaluate(async () => {
    try {
      return (await indexedDB.databases()).filter((d) => d.name?.startsWith('housecall-p-')).length;
    } catch {
      return 0;
    }
  })).toBe(0);
  await prefetched;

  await context.setOffline(true);
  await expect(chart.section('allergies').locator('[data-testid="fetched-at"][data-offline="yes"]')).toHaveCount(1);
  await chart.openSection('allergies');
  await expect(detail.items()).toHaveCount(1);
  await expect(detail.items().first()).toContainText(reader.allergy);
  await expect(ehr.frame().locator('[data-testid="fetched-at"][data-offline="yes"]')).toHaveText(/^Offline: showing what was saved at /);
});

test('inside the EHR frame, where the browser refuses IndexedDB and Web Locks, a saved note still reaches the EHR', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const ehr = new EhrPage(page);
  await ehr.launch(doctor.id, writer.id);
  await ehr.chart().settled();
  const frame = ehr.frame();
  // Sync rounds run here too: the store is this tab's memory, shared with no other tab.
  await expect(frame.locator('[data-sync-state][data-synced="true"]')).toHaveCount(1);
  await expect(frame.getByTestId('sync-indicator')).toHaveText('All changes saved');
  await ehr.chart().writeNote().click();
  await expect(frame.getByTestId('note-editor')).toHaveAttribute('data-loaded', 'yes');
  const text = `Seen in clinic ${unique()}: inside the EHR's frame.`;
  await ehr.detail().noteText().fill(text);
  await frame.getByTestId('note-save').click();
  await expect(frame.getByTestId('note-send')).toHaveAttribute('data-stage', 'saved', { timeout: 30_000 });
  await expect(frame.getByTestId('sync-indicator')).toHaveText('All changes saved');
  const launchId = new URL(ehr.appFrame().url()).pathname.split('/')[2]!;
  const notes = await ehr.appFrame().evaluate(async ({ url, wanted }) => {
    const bundle = (await (await fetch(url, { headers: { accept: 'application/fhir+json' }, cache: 'no-store' })).json()) as { entry?: { resource: { content?: { attachment?: { data?: string } }[] } }[] };
    return (bundle.entry ?? []).filter((e) => e.resource.content?.some((c) => c.attachment?.data && new TextDecoder().decode(Uint8Array.from(atob(c.attachment.data), (ch) => ch.charCodeAt(0))) === wanted)).length;
  }, { url: `/api/l/${launchId}/fhir/DocumentReference?_sort=-date&_count=50`, wanted: text });
  expect(notes).toBe(1);
});

test('a note saved offline waits, reaches the EHR exactly once despite a lost response, and is then signed', async ({ context, request }) => {
  const own = await ClinicianWindow.open(context, doctor.id, writer.id);
  const { chart, detail, page } = own;
  await chart.writeNote().click();
  await expect(page.getByTestId('note-editor')).toHaveAttribute('data-loaded', 'yes');
  const text = `Home visit ${unique()}: ankle swelling improved, continue plan.`;
  await detail.noteText().fill(text);
  await expect(detail.noteStatus()).toHaveAttribute('data-kept', 'server'); // the draft is sealed on Housecall's server

  await context.setOffline(true);
  await page.getByTestId('note-save').click();
  await expect(own.noteSend()).toHaveAttribute('data-stage', 'waiting-save');
  await expect(page.getByTestId('note-send-status')).toContainText('Saved on this device');
  await expect(own.indicator()).toHaveText('1 change waiting for a connection');
  expect(await own.accessibilityProblems('note-editor')).toEqual([]);

  // The EHR applies the create but its answer never arrives: the retry must not make a second note.
  await knobs.set(request, { dropAfterWrite: { resourceTypes: ['DocumentReference'], count: 1 } });
  await context.setOffline(false);
  await expect(own.noteSend()).toHaveAttribute('data-stage', 'saved', { timeout: 30_000 });
  await expect(own.indicator()).toHaveText('All changes saved');
  expect((await knobs.stats(request)).faults.dropAfterWrite).toBe(1);
  const saved = await own.notesWithText(text);
  expect(saved).toHaveLength(1);
  expect(saved[0]).toMatchObject({ docStatus: 'preliminary', subject: { reference: `Patient/${writer.id}` }, author: [{ reference: `Practitioner/${doctor.id}` }] });

  await page.getByTestId('note-sign').click();
  await expect(own.noteSend()).toHaveAttribute('data-stage', 'signed', { timeout: 30_000 });
  const signed = await own.notesWithText(text);
  expect(signed).toHaveLength(1);
  expect(signed[0]).toMatchObject({ id: saved[0]!.id, docStatus: 'final', authenticator: { reference: `Practitioner/${doctor.id}` } });
  expect(signed[0]!.meta?.versionId).not.toBe(saved[0]!.meta?.versionId);

  // The draft's deletion could not reach Housecall while offline; after a reload the editor does
  // not offer the saved note again as a draft, and still says where the note is.
  await page.reload();
  await expect(page.getByTestId('note-editor')).toHaveAttribute('data-loaded', 'yes');
  await expect(detail.noteText()).toHaveValue('');
  await expect(own.noteSend()).toHaveAttribute('data-stage', 'signed');
});

test('a note saved offline outlives the session lapsing: the device erases its copy, the note is kept for the clinician, and the next launch from the EHR saves it once', async ({ context, request }) => {
  const own = await ClinicianWindow.open(context, doctor.id, writer.id);
  const { chart, detail, page } = own;
  await chart.writeNote().click();
  await expect(page.getByTestId('note-editor')).toHaveAttribute('data-loaded', 'yes');
  const text = `Lapsed visit ${unique()}: wound dressing changed.`;
  await detail.noteText().fill(text);
  await expect(detail.noteStatus()).toHaveAttribute('data-kept', 'server');
  await context.setOffline(true);
  await page.getByTestId('note-save').click();
  await expect(own.indicator()).toHaveText('1 change waiting for a connection');

  // Back online, the EHR rejects the token and refuses the refresh: the launch lapses mid-sync.
  await knobs.set(request, { fhir401: { count: 1 }, rejectRefresh: { count: 1 } });
  await context.setOffline(false);
  await expect(own.indicator()).toHaveText(/^Your session ended, so Housecall erased its copy on this device — your unsent change is kept/, { timeout: 30_000 });
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).filter((d) => d.name?.startsWith('housecall-p-')).length)).toBe(0);

  const again = await ClinicianWindow.open(context, doctor.id, writer.id);
  expect(again.launchId).not.toBe(own.launchId);
  await expect.poll(async () => (await again.notesWithText(text)).length, { timeout: 30_000 }).toBe(1);
  await expect(again.indicator()).toHaveText('All changes saved');
  expect((await again.notesWithText(text))[0]).toMatchObject({ docStatus: 'preliminary', author: [{ reference: `Practitioner/${doctor.id}` }] });
});

test('signing a note that was changed in the EHR meanwhile goes to review, never merged; signing their version keeps their change', async ({ context, request }) => {
  const own = await ClinicianWindow.open(context, doctor.id, writer.id);
  const { chart, detail, page } = own;
  await chart.writeNote().click();
  await expect(page.getByTestId('note-editor')).toHaveAttribute('data-loaded', 'yes');
  const text = `Phone follow-up ${unique()}: no new symptoms.`;
  await detail.noteText().fill(text);
  await page.getByTestId('note-save').click();
  await expect(own.noteSend()).toHaveAttribute('data-stage', 'saved', { timeout: 30_000 });
  const [saved] = await own.notesWithText(text);
  const description = `Coded by the clinic ${unique()}`;
  await own.editBehindTheBack(request, 'DocumentReference', saved!.id!, { description });

  await page.getByTestId('note-sign').click();
  await expect(own.noteSend()).toHaveAttribute('data-stage', 'needs-review', { timeout: 30_000 });
  await expect(own.indicator()).toHaveText('1 change needs your review');
  expect((await own.notesWithText(text))[0]).toMatchObject({ docStatus: 'preliminary', description });

  await page.getByTestId('note-review').click();
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toHaveAttribute('data-mutation', 'signNote');
  await expect(conflict.getByTestId('conflict-field').filter({ hasText: 'docStatus' })).toBeVisible();
  await expect(conflict.getByTestId('conflict-field').filter({ hasText: 'description' })).toBeVisible();
  await page.getByTestId('reapply-mine').click();
  await expect(own.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  const signed = await own.notesWithText(text);
  expect(signed).toHaveLength(1);
  expect(signed[0]).toMatchObject({ id: saved!.id, docStatus: 'final', description, authenticator: { reference: `Practitioner/${doctor.id}` } });
});

test('an allergy comment made while the clinic changed the allergy goes to review, never merged; adding it to their version keeps both', async ({ context, request }) => {
  const allergy = allergyOf(writer.id);
  const own = await ClinicianWindow.open(context, doctor.id, writer.id);
  const { chart, detail, page } = own;
  await chart.openSection('allergies');
  await expect(detail.items()).toHaveCount(1);
  const comments = page.getByTestId('allergy-comments');
  await comments.locator('summary').click();
  const clinic = `Clinic: reaction confirmed ${unique()}`;
  const changedCriticality = allergy.criticality === 'high' ? 'low' : 'high';
  await own.editAllergyBehindTheBack(request, allergy.id, { criticality: changedCriticality, note: [...(allergy.note ?? []), { text: clinic }] });

  const mine = `Patient reports hives only ${unique()}`;
  await page.getByTestId('allergy-comment-text').fill(mine);
  await page.getByTestId('allergy-comment-save').click();
  await expect(own.indicator()).toHaveText('1 change needs your review', { timeout: 30_000 });
  await expect(comments).toHaveAttribute('data-sync', 'needs-review');
  expect(await own.accessibilityProblems('detail-allergies')).toEqual([]);
  // Nothing of mine reached the EHR: clinical data is not merged automatically.
  expect((await own.allergy(allergy.id)).note?.map((n) => n.text)).not.toContain(mine);

  await page.getByTestId('sync-review-link').click();
  const conflict = page.getByTestId('conflict');
  await expect(conflict).toHaveAttribute('data-mutation', 'commentOnAllergy');
  await expect(conflict.getByTestId('conflict-field').filter({ hasText: 'criticality' })).toBeVisible();
  await expect(conflict).toContainText(mine);
  await expect(conflict).toContainText(clinic);
  expect(await own.accessibilityProblems('review-page')).toEqual([]);
  await page.getByTestId('reapply-mine').click();
  await expect(own.indicator()).toHaveText('All changes saved', { timeout: 30_000 });
  const after = await own.allergy(allergy.id);
  expect(after.criticality).toBe(changedCriticality);
  expect(after.note?.map((n) => n.text)).toEqual([...(allergy.note ?? []).map((n) => n.text), clinic, mine]);
});
