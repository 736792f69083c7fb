import type { Bundle, CareTeam, Encounter, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed, careTeamPlan, FIXTURE_NOW, FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../../fixtures';
import { ENCOUNTER_ROLE, roleInSentence, searchCarePeople, toCarePeople } from './care-team';

const NOW = new Date('2026-06-01T12:00:00Z');
const bundle = (...resources: Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) });
const team = (participant: CareTeam['participant'], extra: Partial<CareTeam> = {}): CareTeam => ({ resourceType: 'CareTeam', status: 'active', subject: { reference: 'Patient/p1' }, participant, ...extra });
const visit = (start: string, individuals: { reference?: string; display?: string }[], extra: Partial<Encounter> = {}): Encounter => ({
  resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' }, period: { start }, participant: individuals.map((individual) => ({ individual })), ...extra,
});

describe('toCarePeople', () => {
  it('names members without a display from the Practitioners read, reads absolute and versioned references, and takes the role from text, else a coding display', () => {
    const names = new Map<string, string | null>([['Practitioner/a', 'Dr. Ann Able']]);
    const people = toCarePeople({
      careTeams: [bundle(team([
        { role: [{ text: 'GP', coding: [{ display: 'General practitioner' }] }], member: { reference: 'https://ehr.example/fhir/Practitioner/a/_history/3' } },
        { role: [{ text: '  ' }, { coding: [{ code: '17561000' }, { code: 'x', display: 'Cardiologist' }] }], member: { reference: 'Practitioner/b', display: ' Dr. Bo Bee ' } },
        { role: [{ coding: [{ system: 'http://snomed.info/sct', code: '309343006' }] }], member: { reference: 'Practitioner/c', display: 'Dr. Cy Sea' } },
      ]))],
      encounters: [],
      names,
      patientId: 'p1',
      now: NOW,
    });
    expect(people).toEqual([
      { reference: 'Practitioner/a', name: 'Dr. Ann Able', role: 'GP', source: 'care-team' },
      { reference: 'Practitioner/b', name: 'Dr. Bo Bee', role: 'Cardiologist', source: 'care-team' },
      // A role given only as a code is not shown as the code.
      { reference: 'Practitioner/c', name: 'Dr. Cy Sea', role: 'Care team', source: 'care-team' },
    ]);
  });

  it('leaves out ended, future and display-only members, the patient and relatives, people it cannot name, and teams not in force or about someone else', () => {
    const names = new Map<string, string | null>([['Practitioner/unreadable', null]]);
    const people = toCarePeople({
      careTeams: [
        bundle(
          team([
            { member: { reference: 'Practitioner/ended', display: 'Dr. Gone' }, period: { start: '2020-01-01', end: '2026-05-31' } },
            { member: { reference: 'Practitioner/later', display: 'Dr. Later' }, period: { start: '2026-07-01' } },
            { member: { display: 'Dr. Locum' } },
            { member: { reference: 'Patient/p1', display: 'The patient' } },
            { member: { reference: 'RelatedPerson/r1', display: 'A spouse' } },
            { member: { reference: 'Organization/o1', display: 'A clinic' } },
            { member: { reference: 'Practitioner/unreadable' } },
            { member: { reference: 'Practitioner/x9', display: 'Practitioner/x9' } },
            { member: { reference: 'Practitioner/today', display: 'Dr. Until Today' }, period: { end: '2026-06-01' } },
            {},
          ]),
          team([{ member: { reference: 'Practitioner/inactive', display: 'Dr. Inactive' } }], { status: 'inactive' }),
          team([{ member: { reference: 'Practitioner/eie', display: 'Dr. Error' } }], { status: 'entered-in-error' }),
          team([{ member: { reference: 'Practitioner/over', display: 'Dr. Over' } }], { period: { end: '2025-01-01' } }),
          team([{ member: { reference: 'Practitioner/other', display: 'Dr. Other' } }], { subject: { reference: 'Patient/p2' } }),
        ),
      ],
      encounters: [],
      names,
      patientId: 'p1',
      now: NOW,
    });
    // A date-only end lasts through that day.
    expect(people.map((p) => p.name)).toEqual(['Dr. Until Today']);
  });

  it('adds practitioners from recent visits only, newest visit first, once each, with the care team taking precedence', () => {
    const people = toCarePeople({
      careTeams: [bundle(team([{ role: [{ text: 'GP' }], member: { reference: 'Practitioner/gp', display: 'Dr. Gee Pee' } }]))],
      encounters: [
        bundle(
          visit('2026-01-10T09:00:00Z', [{ reference: 'Practitioner/gp' }, { reference: 'Practitioner/old-visit', display: 'Dr. Early' }]),
          visit('2026-05-02T09:00:00+02:00', [{ reference: 'Practitioner/new', display: 'Dr. Newest' }, { reference: 'Practitioner/old-visit', display: 'Dr. Early' }]),
          visit('2023-01-01T09:00:00Z', [{ reference: 'Practitioner/ancient', display: 'Dr. Ancient' }]),
          visit('2026-05-20T09:00:00Z', [{ reference: 'Practitioner/cancel', display: 'Dr. Cancelled' }], { status: 'cancelled' }),
          visit('2026-05-21T09:00:00Z', [{ reference: 'Practitioner/p2doc', display: 'Dr. Someone Else' }], { subject: { reference: 'Patient/p2' } }),
          visit('2026-09-01T09:00:00Z', [{ reference: 'Practitioner/future', display: 'Dr. Future' }], { status: 'planned' }),
          { resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, participant: [{ individual: { reference: 'Practitioner/undated', display: 'Dr. Undated' } }] } as Encounter,
        ),
      ],
      patientId: 'p1',
      now: NOW,
    });
    expect(people).toEqual([
      { reference: 'Practitioner/gp', name: 'Dr. Gee Pee', role: 'GP', source: 'care-team' },
      { reference: 'Practitioner/new', name: 'Dr. Newest', role: ENCOUNTER_ROLE, source: 'encounter' },
      { reference: 'Practitioner/old-visit', name: 'Dr. Early', role: ENCOUNTER_ROLE, source: 'encounter' },
    ]);
  });

  it('survives JSON that is not shaped like FHIR', () => {
    const junk = { resourceType: 'Bundle', entry: [null, { resource: { resourceType: 'CareTeam', participant: 'nope', period: 7 } }, { resource: { resourceType: 'Encounter', participant: [null, 3], period: { start: 'yesterday' } } }] } as unknown as Bundle;
    expect(toCarePeople({ careTeams: [junk, undefined], encounters: [junk, undefined], now: NOW })).toEqual([]);
  });

  it('gives each seeded patient their GP, nurse and cardiologist by name, and never the locum, the dietitian whose part ended or an id', () => {
    const seed = buildSeed();
    const now = new Date(FIXTURE_NOW);
    const names = new Map(FIXTURE_PRACTITIONERS.map((p) => [`Practitioner/${p.id}`, p.display] as const));
    for (const facts of FIXTURE_PATIENTS) {
      const chart = seed.patients.find((p) => p.patient.id === facts.id)!;
      const plan = careTeamPlan(facts);
      const people = toCarePeople({ careTeams: [bundle(...chart.resources.filter((r) => r.resourceType === 'CareTeam'))], encounters: [bundle(...chart.resources.filter((r) => r.resourceType === 'Encounter'))], names, patientId: facts.id, now });
      const expected = [...new Set([plan.gp, plan.nurse, plan.specialist])].map((id) => `Practitioner/${id}`);
      expect(people.map((p) => p.reference), facts.id).toEqual(expected);
      expect(people[0]).toMatchObject({ role: 'GP', name: names.get(`Practitioner/${plan.gp}`) });
      for (const p of people) expect(p.name).not.toMatch(/prac-|Practitioner\//);
    }
  });
});

describe('searchCarePeople', () => {
  const people = [
    { reference: 'Practitioner/a', name: 'Dr. Zoë Ångström', role: 'GP', source: 'care-team' as const },
    { reference: 'Practitioner/b', name: 'Nurse Riley Mockup', role: 'Practice nurse', source: 'care-team' as const },
  ];
  it('matches every word in name or role, ignoring case and accents', () => {
    expect(searchCarePeople(people, 'zoe angstrom').map((p) => p.reference)).toEqual(['Practitioner/a']);
    expect(searchCarePeople(people, 'NURSE practice').map((p) => p.reference)).toEqual(['Practitioner/b']);
    expect(searchCarePeople(people, 'riley gp')).toEqual([]);
    expect(searchCarePeople(people, '   ')).toHaveLength(2);
  });
  it('never matches on the reference', () => {
    expect(searchCarePeople(people, 'Practitioner')).toEqual([]);
  });
});

describe('roleInSentence', () => {
  it('says the role as a patient would read it', () => {
    expect(roleInSentence('GP')).toBe('your GP');
    expect(roleInSentence('Cardiologist')).toBe('your cardiologist');
    expect(roleInSentence(ENCOUNTER_ROLE)).toBe('who saw you at a recent visit');
    expect(roleInSentence('Care team')).toBe('in your care team');
  });
});
