import type { Appointment, Bundle, CarePlan, CareTeam, Communication, Consent, DocumentReference, Group, Immunization, ImmunizationRecommendation, MedicationRequest, Observation, Patient, Questionnaire, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed, FIXTURE_NOW, FIXTURE_PATIENTS, seedResources, visitPlan } from '../../fixtures/index';
import { moveSeedDates, shiftResourceDates } from './seed';
import { dateShift, SEED_ANCHOR_DAY } from './shift';

const DAY_MS = 86_400_000;
const PLUS_35 = dateShift('2026-11-01', '2026-12-06');

/** Strings that look like dates but sit in elements that are not dates: none may move. */
const LOOKALIKE = '2026-11-01';

describe('shiftResourceDates', () => {
  it('moves Patient.birthDate, deceasedDateTime, extensions (and the extensions of primitives) and meta.lastUpdated', () => {
    const patient: Patient & { _birthDate?: { extension: Patient['extension'] } } = {
      resourceType: 'Patient',
      id: LOOKALIKE,
      meta: { lastUpdated: '2026-11-01T09:00:00.000Z', versionId: LOOKALIKE, tag: [{ code: LOOKALIKE }] },
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">Born ${LOOKALIKE}</div>` },
      identifier: [{ system: 'urn:mrn', value: LOOKALIKE, period: { start: '2020-01-02' } }],
      name: [{ text: LOOKALIKE, family: LOOKALIKE, period: { end: '2026-10-01T00:00:00Z' } }],
      birthDate: '1958-03-14',
      _birthDate: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1958-03-14T06:20:00+01:00' }] },
      deceasedDateTime: '2026-10',
      extension: [
        { url: 'urn:example:seen', valueDate: '2026-11-01' },
        { url: 'urn:example:note', valueString: LOOKALIKE },
        { url: 'urn:example:nested', extension: [{ url: 'when', valueInstant: '2026-11-01T09:00:00Z' }, { url: 'code', valueCode: LOOKALIKE }, { url: 'span', valuePeriod: { start: '2026' } }] },
      ],
      contact: [{ name: { text: LOOKALIKE }, period: { start: '2026-10-31' } }],
    };
    const moved = shiftResourceDates(patient, PLUS_35);
    expect(moved).toEqual({
      ...patient,
      meta: { ...patient.meta, lastUpdated: '2026-12-06T09:00:00.000Z' },
      identifier: [{ system: 'urn:mrn', value: LOOKALIKE, period: { start: '2020-02-06' } }],
      name: [{ text: LOOKALIKE, family: LOOKALIKE, period: { end: '2026-11-05T00:00:00Z' } }],
      birthDate: '1958-04-18',
      _birthDate: { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime', valueDateTime: '1958-04-18T06:20:00+01:00' }] },
      deceasedDateTime: '2026-11',
      extension: [
        { url: 'urn:example:seen', valueDate: '2026-12-06' },
        { url: 'urn:example:note', valueString: LOOKALIKE },
        { url: 'urn:example:nested', extension: [{ url: 'when', valueInstant: '2026-12-06T09:00:00Z' }, { url: 'code', valueCode: LOOKALIKE }, { url: 'span', valuePeriod: { start: '2026' } }] },
      ],
      contact: [{ name: { text: LOOKALIKE }, period: { start: '2026-12-05' } }],
    });
  });

  it('moves Consent dateTime and provision periods, not its policy text', () => {
    const consent: Consent = {
      resourceType: 'Consent',
      status: 'active',
      scope: { text: LOOKALIKE },
      category: [{ text: LOOKALIKE }],
      dateTime: '2026-10-01T09:00:00Z',
      policyRule: { text: `Agreed ${LOOKALIKE}` },
      provision: { type: 'permit', period: { start: '2026-10-01', end: '2026-12-31' }, provision: [{ type: 'deny', period: { end: '2026-11-02T00:00:00Z' }, dataPeriod: { start: '2025-01-01' } }] },
    };
    const moved = shiftResourceDates(consent, PLUS_35);
    expect(moved.dateTime).toBe('2026-11-05T09:00:00Z');
    expect(moved.provision).toEqual({ type: 'permit', period: { start: '2026-11-05', end: '2027-02-04' }, provision: [{ type: 'deny', period: { end: '2026-12-07T00:00:00Z' }, dataPeriod: { start: '2025-02-05' } }] });
    expect([moved.scope, moved.category, moved.policyRule]).toEqual([consent.scope, consent.category, consent.policyRule]);
  });

  it('moves Appointment start, end and requested periods, not its comment', () => {
    const appt: Appointment = {
      resourceType: 'Appointment', status: 'booked', start: '2026-11-07T13:30:00Z', end: '2026-11-07T14:10:00Z', created: '2026-10-20',
      comment: LOOKALIKE, description: `Check-up ${LOOKALIKE}`, requestedPeriod: [{ start: '2027-01-01T10:00:00Z', end: '2027-01-08T10:00:00Z' }],
      participant: [{ status: 'accepted', actor: { display: LOOKALIKE }, period: { start: '2026-11-07' } }],
    };
    const moved = shiftResourceDates(appt, PLUS_35);
    expect(moved).toEqual({
      ...appt, start: '2026-12-12T13:30:00Z', end: '2026-12-12T14:10:00Z', created: '2026-11-24',
      requestedPeriod: [{ start: '2027-02-05T10:00:00Z', end: '2027-02-12T10:00:00Z' }],
      participant: [{ status: 'accepted', actor: { display: LOOKALIKE }, period: { start: '2026-12-12' } }],
    });
  });

  it('moves Observation effective[x], issued, value[x] and component values by type, never a string value', () => {
    const obs: Observation = {
      resourceType: 'Observation', status: 'final', code: { text: LOOKALIKE },
      effectivePeriod: { start: '2026-10-31T08:00:00Z', end: '2026-10-31T08:05:00Z' }, issued: '2026-10-31T10:00:00.250Z',
      valueString: LOOKALIKE, note: [{ text: LOOKALIKE, time: '2026-10-31T11:00:00Z' }],
      component: [{ code: { text: 'a' }, valueDateTime: '2026-10-30' }, { code: { text: 'b' }, valueString: LOOKALIKE }, { code: { text: 'c' }, valuePeriod: { start: '2026-09' } }],
    };
    const moved = shiftResourceDates(obs, PLUS_35);
    expect(moved).toEqual({
      ...obs,
      effectivePeriod: { start: '2026-12-05T08:00:00Z', end: '2026-12-05T08:05:00Z' }, issued: '2026-12-05T10:00:00.250Z',
      note: [{ text: LOOKALIKE, time: '2026-12-05T11:00:00Z' }],
      component: [{ code: { text: 'a' }, valueDateTime: '2026-12-04' }, { code: { text: 'b' }, valueString: LOOKALIKE }, { code: { text: 'c' }, valuePeriod: { start: '2026-10' } }],
    });
  });

  it('moves DocumentReference date, Immunization occurrence (not occurrenceString) and ImmunizationRecommendation dateCriterion', () => {
    const doc: DocumentReference = { resourceType: 'DocumentReference', status: 'current', date: '2026-09-27T10:00:00Z', description: LOOKALIKE, content: [{ attachment: { title: LOOKALIKE, creation: '2026-09-27T10:00:00Z' } }], context: { period: { start: '2026-09-27T10:00:00Z' } } };
    expect(shiftResourceDates(doc, PLUS_35)).toEqual({ ...doc, date: '2026-11-01T10:00:00Z', content: [{ attachment: { title: LOOKALIKE, creation: '2026-11-01T10:00:00Z' } }], context: { period: { start: '2026-11-01T10:00:00Z' } } });

    const given: Immunization = { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: 'flu' }, patient: { reference: 'Patient/p' }, occurrenceDateTime: '2026-09-08T09:00:00Z', recorded: '2026-09-08', expirationDate: '2027-05-31', lotNumber: LOOKALIKE };
    expect(shiftResourceDates(given, PLUS_35)).toEqual({ ...given, occurrenceDateTime: '2026-10-13T09:00:00Z', recorded: '2026-10-13', expirationDate: '2027-07-05' });
    const told: Immunization = { ...given, occurrenceDateTime: undefined, occurrenceString: LOOKALIKE };
    delete told.occurrenceDateTime;
    expect(shiftResourceDates(told, PLUS_35).occurrenceString).toBe(LOOKALIKE);

    const rec: ImmunizationRecommendation = {
      resourceType: 'ImmunizationRecommendation', patient: { reference: 'Patient/p' }, date: '2026-10-31T09:00:00Z',
      recommendation: [{ forecastStatus: { text: 'due' }, description: LOOKALIKE, dateCriterion: [{ code: { text: 'due' }, value: '2026-11-11' }, { code: { text: 'overdue' }, value: '2026-10-02T00:00:00Z' }] }],
    };
    expect(shiftResourceDates(rec, PLUS_35)).toEqual({
      ...rec, date: '2026-12-05T09:00:00Z',
      recommendation: [{ forecastStatus: { text: 'due' }, description: LOOKALIKE, dateCriterion: [{ code: { text: 'due' }, value: '2026-12-16' }, { code: { text: 'overdue' }, value: '2026-11-06T00:00:00Z' }] }],
    });
  });

  it('moves CarePlan periods and activity timings (events, bounds), CareTeam and Group periods, Communication sent/received', () => {
    const plan: CarePlan = {
      resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/p' }, period: { start: '2024-11-11' }, created: '2024-11-11T09:00:00Z', title: LOOKALIKE,
      activity: [{ detail: { status: 'scheduled', description: LOOKALIKE, scheduledTiming: { event: ['2026-11-10T08:00:00Z', '2026-11-17T08:00:00Z'], repeat: { boundsPeriod: { start: '2026-11-10', end: '2027-01' } } } } }],
    };
    expect(shiftResourceDates(plan, PLUS_35)).toEqual({
      ...plan, period: { start: '2024-12-16' }, created: '2024-12-16T09:00:00Z',
      activity: [{ detail: { status: 'scheduled', description: LOOKALIKE, scheduledTiming: { event: ['2026-12-15T08:00:00Z', '2026-12-22T08:00:00Z'], repeat: { boundsPeriod: { start: '2026-12-15', end: '2027-02' } } } } }],
    });

    const team: CareTeam = { resourceType: 'CareTeam', name: LOOKALIKE, period: { start: '2024-10-12' }, participant: [{ period: { start: '2024-10-12', end: '2026-02-24' } }] };
    expect(shiftResourceDates(team, PLUS_35)).toEqual({ ...team, period: { start: '2024-11-16' }, participant: [{ period: { start: '2024-11-16', end: '2026-03-31' } }] });

    const group: Group = { resourceType: 'Group', type: 'person', actual: true, name: LOOKALIKE, member: [{ entity: { reference: 'Patient/p', display: LOOKALIKE }, period: { start: '2025-09-27', end: '2026-04-15' } }] };
    expect(shiftResourceDates(group, PLUS_35)).toEqual({ ...group, member: [{ entity: { reference: 'Patient/p', display: LOOKALIKE }, period: { start: '2025-11-01', end: '2026-05-20' } }] });

    const message: Communication = { resourceType: 'Communication', status: 'completed', sent: '2026-10-02T09:10:00Z', received: '2026-10-02T09:40:00Z', payload: [{ contentString: `See you ${LOOKALIKE}` }] };
    expect(shiftResourceDates(message, PLUS_35)).toEqual({ ...message, sent: '2026-11-06T09:10:00Z', received: '2026-11-06T09:40:00Z' });
  });

  it('moves dates in contained resources, Bundle entries, dosage timings and nested Questionnaire items', () => {
    const request: MedicationRequest = {
      resourceType: 'MedicationRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, medicationReference: { reference: '#m' }, authoredOn: '2024-11-11T09:00:00Z',
      contained: [{ resourceType: 'Medication', id: 'm', batch: { lotNumber: LOOKALIKE, expirationDate: '2027-01-01' } }],
      dosageInstruction: [{ text: LOOKALIKE, timing: { repeat: { boundsPeriod: { start: '2024-11-11' } } } }],
    };
    const bundle: Bundle = { resourceType: 'Bundle', type: 'collection', timestamp: '2026-11-01T09:00:00Z', entry: [{ fullUrl: `urn:uuid:${LOOKALIKE}`, resource: request }] };
    const moved = shiftResourceDates(bundle, PLUS_35);
    expect(moved.timestamp).toBe('2026-12-06T09:00:00Z');
    expect(moved.entry?.[0]?.fullUrl).toBe(`urn:uuid:${LOOKALIKE}`);
    expect(moved.entry?.[0]?.resource).toEqual({
      ...request, authoredOn: '2024-12-16T09:00:00Z',
      contained: [{ resourceType: 'Medication', id: 'm', batch: { lotNumber: LOOKALIKE, expirationDate: '2027-02-05' } }],
      dosageInstruction: [{ text: LOOKALIKE, timing: { repeat: { boundsPeriod: { start: '2024-12-16' } } } }],
    });

    const form: Questionnaire = {
      resourceType: 'Questionnaire', status: 'active', date: '2026-11-01',
      item: [{ linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'date', text: LOOKALIKE, initial: [{ valueDate: '2026-11-01' }], enableWhen: [{ question: '0', operator: '=', answerDate: '2026-10-01' }] }] }],
    };
    expect(shiftResourceDates(form, PLUS_35).item).toEqual([
      { linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'date', text: LOOKALIKE, initial: [{ valueDate: '2026-12-06' }], enableWhen: [{ question: '0', operator: '=', answerDate: '2026-11-05' }] }] },
    ]);
  });

  it('leaves properties the definitions do not know as they are, and does not change its input', () => {
    const odd = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, issued: '2026-10-31T10:00:00Z', madeUpDate: '2026-10-31', madeUp: { start: '2026-10-31' } } as unknown as Observation;
    const before = structuredClone(odd);
    const moved = shiftResourceDates(odd, PLUS_35) as unknown as Record<string, unknown>;
    expect(moved.issued).toBe('2026-12-05T10:00:00Z');
    expect(moved.madeUpDate).toBe('2026-10-31');
    expect(moved.madeUp).toEqual({ start: '2026-10-31' });
    expect(odd).toEqual(before);
  });

  it('refuses a resource type FHIR R4 does not have', () => {
    expect(() => shiftResourceDates({ resourceType: 'Nonsense' } as unknown as Resource, PLUS_35)).toThrow(/Unknown resource type/);
  });
});

/** Every string leaf of two parallel values: [path, before, after]. */
function* leafPairs(a: unknown, b: unknown, path: string): Generator<[string, string, unknown]> {
  if (typeof a === 'string') yield [path, a, b];
  else if (Array.isArray(a)) for (let i = 0; i < a.length; i++) yield* leafPairs(a[i], (b as unknown[])[i], `${path}[${i}]`);
  else if (a && typeof a === 'object') for (const [k, v] of Object.entries(a)) yield* leafPairs(v, (b as Record<string, unknown>)[k], `${path}.${k}`);
}

/** Whole years from a birth date to a day, as people count them. */
function age(birthDate: string, onDay: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDay.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

describe('moveSeedDates', () => {
  const seed = buildSeed();
  const TODAY = '2031-05-20';
  const { seed: moved, shift } = moveSeedDates(seed, TODAY);
  const days = Math.round((Date.parse(TODAY) - Date.parse(SEED_ANCHOR_DAY)) / DAY_MS);

  it('moves every date in the seed by the same whole days and changes nothing else', () => {
    expect(shift).toMatchObject({ fromDay: '2026-11-01', toDay: TODAY, days });
    expect(moved.anchorDay).toBe(TODAY);
    const before = seedResources(seed);
    const after = seedResources(moved);
    expect(after.length).toBe(before.length);
    let datesMoved = 0;
    let untouched = 0;
    const wrong: string[] = [];
    for (let i = 0; i < before.length; i++) {
      const where = `${before[i]!.resourceType}/${before[i]!.id}`;
      for (const [path, was, now] of leafPairs(before[i], after[i], where)) {
        // The seed has no partial dates and no date-like text; both facts are checked here.
        if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(was)) {
          datesMoved++;
          if (typeof now !== 'string' || Date.parse(now) - Date.parse(was) !== days * DAY_MS || now.slice(10) !== was.slice(10)) wrong.push(`${path}: ${was} → ${String(now)}`);
        } else {
          untouched++;
          if (now !== was) wrong.push(`${path}: ${was} → ${String(now)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(datesMoved).toBeGreaterThan(15_000);
    expect(untouched).toBeGreaterThan(datesMoved);
  });

  it('puts each ordinary patient\'s next appointment in the future of the new day, in the same order as before', () => {
    const todayStart = Date.parse(`${TODAY}T00:00:00Z`);
    for (const facts of FIXTURE_PATIENTS) {
      const plan = visitPlan(facts.id);
      const appts = moved.patients.find((p) => p.patient.id === facts.id)!.resources.filter((r): r is Appointment => r.resourceType === 'Appointment');
      const next = appts.find((a) => a.id === plan.next.id)!;
      expect(Date.parse(next.start!) - Date.parse(plan.next.start), facts.id).toBe(days * DAY_MS);
      expect(Date.parse(next.start!)).toBeGreaterThan(todayStart);
      const original = seed.patients.find((p) => p.patient.id === facts.id)!.resources.filter((r): r is Appointment => r.resourceType === 'Appointment');
      const comingAfter = (list: Appointment[], ms: number) => list.filter((a) => a.status === 'booked' && Date.parse(a.start!) > ms).map((a) => a.id);
      expect(comingAfter(appts, todayStart)).toEqual(comingAfter(original, Date.parse(`${SEED_ANCHOR_DAY}T00:00:00Z`)));
      expect(comingAfter(appts, todayStart)).toContain(plan.noEnd.id);
      const order = (list: Appointment[]) => list.filter((a) => a.start).sort((a, b) => a.start!.localeCompare(b.start!)).map((a) => a.id);
      expect(order(appts)).toEqual(order(original));
    }
  });

  it('keeps every patient\'s age', () => {
    for (const [i, p] of seed.patients.entries()) {
      const after = moved.patients[i]!.patient;
      expect(after.birthDate).not.toBe(p.patient.birthDate);
      expect(age(after.birthDate!, TODAY), p.patient.id).toBe(age(p.patient.birthDate!, FIXTURE_NOW.slice(0, 10)));
    }
  });

  it('moves a moved seed from its own anchor: never twice from the fixtures\' day', () => {
    expect(moveSeedDates(moved, TODAY).seed).toBe(moved);
    const other = '2027-02-28';
    expect(moveSeedDates(moved, other).seed).toEqual(moveSeedDates(seed, other).seed);
    expect(moveSeedDates(moveSeedDates(moved, other).seed, SEED_ANCHOR_DAY).seed).toEqual({ ...seed, anchorDay: SEED_ANCHOR_DAY });
  });

  it('leaves the seed it was given untouched', () => {
    expect(seed).toEqual(buildSeed());
  });
});
