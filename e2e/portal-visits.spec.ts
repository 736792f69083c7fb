import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { FIXTURE_NOW, FIXTURE_PATIENTS, NEXT_VISIT_NOTE, VISIT_LOCATION, visitPlan } from '../fixtures';
import { icsInstant, parseIcs } from '../lib/calendar/ics.testing';
import { problemsWithin } from './pages/accessibility';
import { PortalHome } from './pages/portal-home';
import { PortalPage } from './pages/portal-page';

/**
 * Issue 14, the patient's visits on a phone, in a time zone that is not UTC (India, UTC+5:30,
 * so an hour-only offset mistake shows): the next appointment first with its local time, place
 * and person; "Add to calendar" hands over an .ics a strict reader parses; a PDF and an image
 * open in the page, a Word file is offered as a download, a missing file says so; immunizations
 * due and the care plan read in plain words; every page passes axe with 44 px targets.
 * The browser's clock is set to the fixtures' "now", so "upcoming" is the seed's upcoming.
 */
const ZONE = 'Asia/Kolkata';
test.use({ viewport: { width: 360, height: 740 }, timezoneId: ZONE, locale: 'en-US', acceptDownloads: true });

const patient = FIXTURE_PATIENTS.find((p) => p.id === 'pat-007')!;
const plan = visitPlan(patient.id);
const other = visitPlan('pat-008');
const SCOPES = ['[data-testid="styled-root"]'];
const spaces = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const localTime = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: 'numeric', minute: '2-digit' }).format(new Date(iso)).replace(/\s+/g, ' ');
const localDate = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));

async function openPortal(page: Page): Promise<string> {
  const base = await new PortalPage(page).launchAs(patient.id);
  await expect(page.getByTestId('visit-link-appointments')).toBeVisible();
  await page.context().clock.setSystemTime(new Date(FIXTURE_NOW));
  return base;
}

test('the home lists the next appointment in local time and the unread message from the care team', async ({ page }) => {
  const base = await openPortal(page);
  await page.goto(`${base}/portal`);
  const home = new PortalHome(page);
  await home.attentionSettled();
  const next = home.attentionItems('appointment');
  await expect(next).toHaveCount(1);
  await expect(next).toContainText(plan.next.title);
  await expect(next).toContainText(localTime(plan.next.start));
  await expect(next.getByRole('link')).toHaveAttribute('href', `${base}/portal/appointments#${encodeURIComponent(`appt-${plan.next.id}`)}`);
  await expect(home.attentionItems('messages')).toContainText(/^New message from /);
});

test('appointments: the next one first in local time with place and person, and Add to calendar gives a valid .ics', async ({ page }) => {
  const base = await openPortal(page);
  await page.goto(`${base}/portal/appointments`);
  const first = page.getByTestId('upcoming').getByTestId('appointment').first();
  await expect(first.getByTestId('appointment-title')).toHaveText(plan.next.title);
  await expect(first.getByTestId('appointment-people')).toHaveText('With Dr. Sam Simulacrum');
  expect(spaces(await first.getByTestId('appointment-when').textContent())).toContain(localDate(plan.next.start));
  expect(spaces(await first.getByTestId('appointment-time').textContent())).toBe(`${localTime(plan.next.start)} – ${localTime(plan.next.end)}`);
  await expect(first.getByTestId('appointment-place')).toContainText(VISIT_LOCATION.name);
  await expect(first.getByTestId('appointment-place')).toContainText(VISIT_LOCATION.line);
  await expect(first.getByTestId('appointment-status')).toHaveText('Booked');
  // Upcoming soonest first; the cancelled and proposed ones say so; past ones after.
  const starts = await page.getByTestId('upcoming').getByTestId('appointment').evaluateAll((els) => els.map((e) => e.getAttribute('data-start')).filter(Boolean).map((s) => Date.parse(s!)));
  expect(starts).toEqual([...starts].sort((a, b) => a - b));
  await expect(page.getByTestId('upcoming').locator('[data-status="cancelled"]').getByTestId('appointment-status')).toHaveText('Cancelled');
  await expect(page.getByTestId('upcoming').locator('[data-status="proposed"]')).toContainText('Time to be agreed');
  await expect(page.getByTestId('past').getByTestId('appointment').filter({ hasText: plan.past.title })).toContainText('Attended');
  await expect(page.getByTestId('appointments')).not.toContainText(/(Practitioner|Location|Patient)\//);

  const [download] = await Promise.all([page.waitForEvent('download'), first.getByTestId('add-to-calendar').click()]);
  expect(download.suggestedFilename()).toBe(`Heart-check-up-${plan.next.start.slice(0, 10)}.ics`);
  const { calendar, events } = parseIcs(await readFile((await download.path())!, 'utf8'));
  expect(calendar.VERSION).toBe('2.0');
  expect(events).toHaveLength(1);
  const e = events[0]!;
  expect(icsInstant(e.DTSTART!)).toBe(Date.parse(plan.next.start));
  expect(icsInstant(e.DTEND!)).toBe(Date.parse(plan.next.end));
  expect(e.UID).toBe(`${plan.next.id}.sandbox@housecall`);
  expect(e.SUMMARY).toBe('Heart check-up with Dr. Sam Simulacrum');
  expect(e.LOCATION).toContain(VISIT_LOCATION.name);
  expect(e.DESCRIPTION).toBe(NEXT_VISIT_NOTE);
  expect(e.DTSTAMP).toMatch(/^\d{8}T\d{6}Z$/);
  expect(JSON.stringify(e)).not.toContain(patient.family);

  expect(await problemsWithin(page, SCOPES)).toEqual([]);
});

test('documents: a PDF and an image open in the page, a Word file is a download, a missing file says so', async ({ page }) => {
  const base = await openPortal(page);
  await page.goto(`${base}/portal/documents`);
  await expect(page.getByTestId('document')).toHaveCount(5);
  await expect(page.getByTestId('document').filter({ hasText: plan.pdf.title })).toContainText('by Dr. Alex Standin');
  expect(await problemsWithin(page, SCOPES)).toEqual([]);

  await page.getByTestId('document-open').filter({ hasText: plan.pdf.title }).click();
  await expect(page.getByTestId('document-content')).toHaveAttribute('data-type', 'application/pdf');
  await expect(page.getByTestId('document-pdf')).toHaveAttribute('src', /^blob:/);
  expect(await problemsWithin(page, SCOPES)).toEqual([]);

  await page.goto(`${base}/portal/documents/${plan.image.docId}`);
  const img = page.getByTestId('document-image');
  await expect(img).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(24);

  await page.goto(`${base}/portal/documents/${plan.word.docId}`);
  await expect(page.getByTestId('document-download-only')).toContainText('cannot be shown here');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('document-download').click()]);
  expect(file.suggestedFilename()).toBe(`${plan.word.title}.docx`);
  expect([...(await readFile((await file.path())!)).subarray(0, 2)]).toEqual([0x50, 0x4b]);

  await page.goto(`${base}/portal/documents/${plan.missing.docId}`);
  await expect(page.getByTestId('document-problem')).toHaveAttribute('data-why', 'missing');

  // Another patient's file, asked for by id through the proxy, is not there.
  const status = await page.evaluate(async (url) => (await fetch(url)).status, `/api${base}/fhir/Binary/${other.pdf.binaryId}`);
  expect(status).toBe(404);
});

test('immunizations due and the care plan read in plain words', async ({ page }) => {
  const base = await openPortal(page);
  await page.goto(`${base}/portal/immunizations`);
  const due = page.getByTestId('immunization-due');
  await expect(due.first()).toContainText('Tetanus, diphtheria and whooping cough (Tdap) vaccine');
  await expect(due.first()).toContainText('Overdue');
  await expect(due.filter({ hasText: 'Flu vaccine' })).toContainText('Due');
  await expect(page.getByTestId('immunizations-given')).toContainText('Flu vaccine');
  expect(await problemsWithin(page, SCOPES)).toEqual([]);

  await page.goto(`${base}/portal/care-plan`);
  const heart = page.getByTestId('care-plan').filter({ hasText: plan.carePlan.title });
  await expect(heart.getByTestId('care-plan-goal').first()).toContainText('Keep blood pressure below 140/90');
  await expect(heart.getByTestId('care-plan-goal').nth(1)).toContainText('Walk 30 minutes a day');
  await expect(heart.getByTestId('care-plan-activity').first()).toContainText('Check your blood pressure at home every morning.');
  await expect(heart.getByTestId('care-plan-activity').first()).toContainText('In progress');
  expect(await problemsWithin(page, SCOPES)).toEqual([]);
});
