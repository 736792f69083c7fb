import { describe, expect, it } from 'vitest';
import { toAccessHistory } from './access-history';
import { toAuditEvent, type AuditInput } from './audit-event';
import { listInWords, personInWords, stepWords, toAccessVisits, VISIT_GAP_MS } from './access-visits';

const T0 = Date.parse('2026-03-01T09:00:00Z');
let n = 0;
/** One audited event `minutes` after T0, as the history page reads it. */
function event(minutes: number, who: string | null, subtype: string, extra: Partial<AuditInput> = {}, launchId: string | null = 'L1') {
  const input: AuditInput = {
    id: `e${++n}`, recorded: new Date(T0 + minutes * 60_000), category: extra.category ?? 'access', outcome: 'success', subtype,
    actor: { fhirUser: who, clientId: 'housecall', issuerId: 'sandbox' }, patientId: 'pat-001', launchId, ...extra,
  };
  const [item] = toAccessHistory([toAuditEvent(input)]);
  return { ...item!, launchId };
}
const search = (type: string) => ({ entity: { query: `${type}?patient=Patient%2Fpat-001&_count=50` } });
const GP = 'Practitioner/prac-001';
const people = new Map([[GP, { name: 'Dr. Quinn Placebo', role: 'your GP' }], ['Practitioner/prac-009', { name: 'Dr. Far Away' }]]);

describe('toAccessVisits', () => {
  it('groups one person in one sitting into a visit naming them and what they looked at, in words, newest visit first', () => {
    const items = [
      event(0, GP, 'ehr-launch', { category: 'launch' }),
      event(1, GP, 'search-type', search('MedicationRequest')),
      event(1, GP, 'search-type', search('AllergyIntolerance')),
      event(2, GP, 'search-type', search('Observation')),
      event(3, GP, 'search-type', search('Observation')),
      event(40, 'Patient/pat-001', 'search-type', search('AllergyIntolerance'), 'L2'),
    ].reverse();
    const visits = toAccessVisits(items, 'pat-001', people);
    expect(visits.map((v) => v.who)).toEqual(['You', 'Dr. Quinn Placebo, your GP']);
    const gp = visits[1]!;
    expect(gp).toMatchObject({ self: false, looked: 'your medicines, allergies and test results', did: ['opened your record from the EHR'], emergency: false, refused: 0 });
    expect(gp.start).toBe('2026-03-01T09:00:00.000Z');
    expect(gp.end).toBe('2026-03-01T09:03:00.000Z');
    expect(gp.steps.find((s) => s.words === 'looked through your test results')).toMatchObject({ times: 2, when: '2026-03-01T09:03:00.000Z' });
    expect(visits[0]).toMatchObject({ self: true, looked: 'your allergies' });
  });

  it('starts a new visit after a long pause or on another launch, even for the same person', () => {
    const items = [
      event(0, GP, 'search-type', search('Condition')),
      event(VISIT_GAP_MS / 60_000, GP, 'search-type', search('Condition')),
      event(VISIT_GAP_MS / 60_000 + 31, GP, 'search-type', search('Condition')),
      event(VISIT_GAP_MS / 60_000 + 32, GP, 'search-type', search('Condition'), 'L9'),
    ];
    expect(toAccessVisits(items, 'pat-001', people).map((v) => v.steps[0]!.times)).toEqual([1, 1, 2]);
  });

  it('marks emergency access, refusals and what the sharing choices withheld', () => {
    const items = [
      event(0, 'Practitioner/prac-002', 'break-glass', { category: 'break-glass', purposeOfUse: ['BTG'] }),
      event(1, 'Practitioner/prac-002', 'search-type', { ...search('AllergyIntolerance'), purposeOfUse: ['BTG'], consents: [{ id: 'c1', version: '1' }] }),
      event(2, 'Practitioner/prac-002', 'search-type', { ...search('Observation'), outcome: 'denied', outcomeCode: 'consent-denied', consents: [{ id: 'c1' }] }),
      event(3, 'Practitioner/prac-002', 'read', { outcome: 'denied', outcomeCode: 'scope-not-granted', entity: { reference: 'Condition/x' } }),
    ];
    const [v] = toAccessVisits(items, 'pat-001', people);
    expect(v).toMatchObject({ who: 'A clinician, name not available', emergency: true, refused: 2, withheld: 1, byChoices: true, looked: 'your allergies' });
    expect(v!.steps.find((s) => s.words === 'looked through your test results')).toMatchObject({ outcome: 'refused', times: 1 });
    // Each refusal keeps its own line.
    expect(v!.steps.filter((s) => s.outcome === 'refused')).toHaveLength(2);
  });

  it('never names another patient or shows an id, and keeps the history\'s own words for share links', () => {
    expect(personInWords('Patient/pat-002', 'pat-001', people)).toBe('Someone else using Housecall');
    expect(personInWords('https://ehr.example/fhir/Patient/pat-001', 'pat-001', people)).toBe('You');
    expect(personInWords('RelatedPerson/rel-001', 'pat-001', people)).toBe('A relative or carer');
    expect(personInWords('Practitioner/prac-009', 'pat-001', people)).toBe('Dr. Far Away');
    expect(personInWords('Device/d1', 'pat-001', people)).toBe('Someone using Housecall');
    expect(personInWords('A clinician with your share link', 'pat-001', people)).toBe('A clinician with your share link');
    const visits = toAccessVisits([event(0, 'Patient/pat-002', 'read', { entity: { reference: 'Observation/obs-002-0001' } })], 'pat-001', people);
    expect(JSON.stringify(visits)).not.toMatch(/pat-002|obs-002|Observation/);
  });

  it('skips events with an unreadable time rather than misplacing them', () => {
    const bad = { ...event(0, GP, 'read', { entity: { reference: 'Patient/pat-001' } }), when: 'not a time' };
    expect(toAccessVisits([bad], 'pat-001', people)).toEqual([]);
  });
});

describe('stepWords', () => {
  it.each([
    [{ subtype: 'search-type', resourceType: 'MedicationStatement' }, 'looked through your medicines'],
    [{ subtype: 'read', resourceType: 'DocumentReference' }, 'opened your notes and letters'],
    [{ subtype: 'update', resourceType: 'Patient' }, 'changed your personal details'],
    [{ subtype: 'sync-conflict-resolution', resourceType: 'Patient' }, 'settled a conflicting change to your personal details'],
    [{ subtype: 'search-type', resourceType: 'Claim' }, 'looked through your records'],
    [{ subtype: 'break-glass-refused' }, 'was refused emergency access to your record'],
    [{ subtype: 'consent-restrict-practitioner' }, 'kept your record from someone'],
    [{ subtype: 'something-new' }, 'used your record'],
  ])('%o → %s', (item, words) => {
    expect(stepWords(item)).toBe(words);
  });
});

describe('listInWords', () => {
  it('joins with commas and a final "and"', () => {
    expect(listInWords([])).toBe('');
    expect(listInWords(['a'])).toBe('a');
    expect(listInWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
