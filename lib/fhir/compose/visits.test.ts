/**
 * The portal's visit pages on the seeded patients (fixtures/visits.ts, messy on purpose) and on
 * the shapes real EHRs send: appointments, immunizations due, care plans with goals, documents.
 */
import type { Appointment, Location, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, NEXT_VISIT_NOTE, VISIT_LOCATION, VISIT_LOCATION_ID, visitPlan } from '../../../fixtures';
import { nextAppointment, toAppointmentLists, appointmentLocationKeys } from './appointments';
import { toCarePlanViews } from './care-plans';
import { checkContent, toDocumentViews } from './documents';
import { plainVaccineName, toImmunizationsDue, toImmunizationsGiven } from './immunizations';
import { bundleOf, chartOf, ctx, theSeed } from './testing';

const chart = chartOf('pat-001');
const plan = visitPlan('pat-001');
const NOW = Date.parse(FIXTURE_NOW);
const location = theSeed().shared.find((r) => r.id === VISIT_LOCATION_ID) as Location;
const names = new Map([['Practitioner/prac-002', 'Dr. Sam Simulacrum'], ['Practitioner/prac-003', 'Nurse Riley Mockup']]);
const actx = { ...ctx, names, locations: new Map([[`Location/${VISIT_LOCATION_ID}`, location]]) };

describe('appointments', () => {
  const lists = toAppointmentLists(bundleOf(chart.of('Appointment')), actx, NOW);

  it('lists upcoming soonest first, then past newest first, split at now', () => {
    const starts = lists.upcoming.filter((v) => v.start).map((v) => Date.parse(v.start!));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(starts.every((s) => s >= NOW)).toBe(true);
    const past = lists.past.map((v) => Date.parse(v.start!));
    expect(past).toEqual([...past].sort((a, b) => b - a));
    expect(past.every((s) => s < NOW)).toBe(true);
    expect(lists.upcoming[0]?.id).toBe(plan.next.id);
    expect(lists.past.map((v) => v.id)).toContain(plan.past.id);
  });

  it('names the place with its address and the people, never an id, and leaves the patient out', () => {
    const next = lists.upcoming[0]!;
    expect(next.place).toEqual({ name: VISIT_LOCATION.name, address: `${VISIT_LOCATION.line}, ${VISIT_LOCATION.city}, ${VISIT_LOCATION.state} ${VISIT_LOCATION.postalCode}` });
    expect(next.people).toEqual(['Dr. Sam Simulacrum']);
    expect(next.instructions).toBe(NEXT_VISIT_NOTE);
    expect(JSON.stringify({ upcoming: lists.upcoming.map(({ provenance: _, ...v }) => v), past: lists.past.map(({ provenance: _, ...v }) => v) })).not.toMatch(/(Practitioner|Location|Patient)\//);
    expect(lists.upcoming.flatMap((v) => v.people)).not.toContain('Ada Testcase');
  });

  it('says who it is when only a display or no name at all is given, and a place without an address', () => {
    const blood = lists.upcoming.find((v) => v.id === plan.noEnd.id)!;
    expect(blood.people).toEqual(['Phlebotomy team (fictional)']);
    expect(blood.place).toEqual({ name: 'a location, name not available' });
    const withoutNames = toAppointmentLists(bundleOf(chart.of('Appointment')), ctx, NOW).upcoming[0]!;
    expect(withoutNames.people).toEqual(['a clinician, name not available']);
  });

  it('puts words on every status, keeps proposed visits with no time yet, and never names a cancelled or proposed one as next', () => {
    const words = Object.fromEntries([...lists.upcoming, ...lists.past].map((v) => [v.id, v.statusWords]));
    expect(words[plan.cancelled.id]).toBe('Cancelled');
    expect(words[plan.proposed.id]).toBe('Proposed, not yet confirmed');
    expect(words[plan.past.id]).toBe('Attended');
    expect(lists.upcoming.find((v) => v.id === plan.proposed.id)?.requested?.start).toBe(plan.proposed.start);
    expect(lists.upcoming.find((v) => v.id === plan.cancelled.id)?.cancellationReason).toBe('Clinic closed');
    const onlyUnsure = toAppointmentLists(bundleOf(chart.of('Appointment').filter((a) => ['cancelled', 'proposed'].includes((a as Appointment).status))), actx, NOW);
    expect(nextAppointment(onlyUnsure)).toBeUndefined();
    expect(nextAppointment(lists)?.id).toBe(plan.next.id);
  });

  it('keeps a visit under way in upcoming until it ends, and hides entered-in-error ones', () => {
    const a = (id: string, start: string, extra: Partial<Appointment> = {}): Resource => ({ resourceType: 'Appointment', id, status: 'booked', start, participant: [], ...extra }) as Appointment;
    const l = toAppointmentLists(bundleOf([a('now', '2026-11-01T08:50:00Z', { end: '2026-11-01T09:20:00Z' }), a('dur', '2026-11-01T08:40:00Z', { minutesDuration: 30 }), a('gone', '2026-11-01T08:00:00Z', { end: '2026-11-01T08:30:00Z' }), a('err', '2026-11-02T08:00:00Z', { status: 'entered-in-error' })]), ctx, NOW);
    expect(l.upcoming.map((v) => v.id)).toEqual(['dur', 'now']);
    expect(l.past.map((v) => v.id)).toEqual(['gone']);
  });

  it('lists the Locations to read for addresses', () => {
    expect(appointmentLocationKeys(bundleOf(chart.of('Appointment')))).toEqual(['Location/loc-001', `Location/${VISIT_LOCATION_ID}`]);
  });
});

describe('immunizations', () => {
  it('lists what the EHR says is due, overdue first, in plain words with dates', () => {
    const due = toImmunizationsDue(bundleOf(chart.of('ImmunizationRecommendation')), ctx);
    expect(due.map((d) => [d.name, d.statusWords, d.dueDate])).toEqual([
      ['Tetanus, diphtheria and whooping cough (Tdap) vaccine', 'Overdue', plan.due.tdapDue],
      ['Flu vaccine', 'Due', plan.due.fluDue],
      ['Shingles vaccine', 'Due', undefined],
    ]);
    expect(due.map((d) => d.name)).not.toContain('COVID-19 vaccine');
  });

  it('lists doses given newest first with plain names and the source name kept', () => {
    const given = toImmunizationsGiven(bundleOf(chart.of('Immunization')), ctx);
    expect(given.length).toBeGreaterThanOrEqual(2);
    expect(given[0]).toMatchObject({ name: 'Flu vaccine', sourceName: 'Influenza, seasonal, injectable, preservative free' });
    expect(given.map((g) => g.date)).toEqual([...given.map((g) => g.date)].sort().reverse());
  });

  it('falls back to the text, then the disease, then words', () => {
    expect(plainVaccineName({ text: 'Yellow fever' })).toBe('Yellow fever');
    expect(plainVaccineName(undefined, { text: 'Rabies' })).toBe('Rabies vaccine');
    expect(plainVaccineName(undefined)).toBe('A vaccine (name not given)');
  });
});

describe('care plans', () => {
  it('shows each plan with its goals and activities in plain words', () => {
    const plans = toCarePlanViews(bundleOf(chart.of('CarePlan')), bundleOf(chart.of('Goal')), ctx);
    const heart = plans.find((p) => p.title === plan.carePlan.title)!;
    expect(heart.statusWords).toBe('Current');
    expect(heart.goals.map((g) => [g.text, g.statusWords])).toEqual([['Keep blood pressure below 140/90', 'In Progress'], ['Walk 30 minutes a day', 'Suggested']]);
    expect(heart.goals[0]!.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(heart.activities.map((a) => [a.text, a.statusWords])).toEqual([
      ['Check your blood pressure at home every morning.', 'In progress'],
      ['Stretching exercises', 'Not started'],
      ['Heart check-up appointment', undefined],
      ['Blood test before the check-up.', 'Done'],
    ]);
  });

  it('still counts a goal it could not read, in words', () => {
    const plans = toCarePlanViews(bundleOf(chart.of('CarePlan')), undefined, ctx);
    expect(plans.find((p) => p.title === plan.carePlan.title)!.goals.map((g) => g.text)).toEqual(['A goal your care team set (details not available)', 'A goal your care team set (details not available)']);
  });
});

describe('documents', () => {
  const docs = toDocumentViews(bundleOf(chart.of('DocumentReference')), { ...ctx, names: new Map([['Practitioner/prac-004', 'Dr. Alex Standin']]) });

  it('lists type, date, author by name and how to open each', () => {
    const pdf = docs.find((d) => d.id === plan.pdf.docId)!;
    expect(pdf).toMatchObject({ title: plan.pdf.title, type: 'Laboratory report', author: 'Dr. Alex Standin', kind: 'pdf', source: { binaryId: plan.pdf.binaryId }, fileName: `${plan.pdf.title}.pdf` });
    expect(docs.find((d) => d.id === plan.image.docId)).toMatchObject({ kind: 'image', author: 'Dr. Quinn Placebo' });
    expect(docs.find((d) => d.id === plan.word.docId)).toMatchObject({ kind: 'unsupported', author: 'Referrals office (fictional)', fileName: `${plan.word.title}.docx` });
    expect(docs.find((d) => d.title.startsWith('Follow-up visit'))).toMatchObject({ kind: 'text', source: { data: expect.any(String) } });
    expect(docs.map((d) => d.date)).toEqual([...docs.map((d) => d.date)].sort().reverse());
  });

  it('never fetches a URL that is not a Binary', () => {
    const d = toDocumentViews(bundleOf([{ resourceType: 'DocumentReference', id: 'x', status: 'current', content: [{ attachment: { url: 'https://evil.example/steal?x=1', contentType: 'application/pdf' } }] } as Resource]), ctx);
    expect(d[0]!.source).toEqual({ none: 'external-url' });
    const abs = toDocumentViews(bundleOf([{ resourceType: 'DocumentReference', id: 'y', status: 'current', content: [{ attachment: { url: 'https://ehr.example/fhir/Binary/abc-1' } }] } as Resource]), ctx);
    expect(abs[0]!.source).toEqual({ binaryId: 'abc-1' });
  });

  it('checks content by its bytes before it is shown', () => {
    const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    expect(checkContent('application/pdf', bytes('%PDF-1.4'))).toEqual({ ok: true, type: 'application/pdf', kind: 'pdf' });
    expect(checkContent('application/pdf', bytes('<html><script>'))).toEqual({ ok: false, problem: 'type-mismatch' });
    expect(checkContent('image/svg+xml', bytes('<svg/>'))).toEqual({ ok: false, problem: 'unsupported-type' });
    expect(checkContent('Image/PNG; q=1', Uint8Array.from([0x89, 0x50, 0x4e, 0x47]))).toMatchObject({ ok: true, kind: 'image' });
    expect(checkContent('image/png', new Uint8Array())).toEqual({ ok: false, problem: 'empty' });
  });
});
