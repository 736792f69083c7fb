import type { Bundle, Coding, Condition, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { LABELS, restrictActor, restrictLabels, shareWithPractitioner } from './build';
import { describeWhyHidden } from './describe';
import { CONSENTS as C, IDS } from './fixtures';
import { applyConsent, CONSENT_HIDDEN_ALL, CONSENT_WHY_SYSTEM, decideForType, hiddenAcross, hiddenByConsent, withheldSearchset, type ConsentContext } from './enforce';

const now = new Date('2026-11-01T09:00:00Z');
const obs = (id: string, labels: Coding[] = []): Observation => ({
  resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/pat-001' }, effectiveDateTime: '2026-10-01', meta: { security: labels },
});
const bundle = (...resources: Observation[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', total: resources.length, entry: resources.map((resource) => ({ resource })) });

function ctx(partial: Partial<ConsentContext>): ConsentContext {
  return {
    patientId: 'pat-001', actor: { reference: 'Practitioner/prac-002', roles: [], memberOf: [] }, purposeOfUse: 'TREAT',
    consents: [], now, policy: { noConsent: 'permit' }, ...partial,
  };
}

describe('consent at the proxy', () => {
  it('permits everything when there is no consent and the default is permit', () => {
    const out = applyConsent(bundle(obs('a'), obs('b')), ctx({}));
    expect(out.hidden).toBe(0);
    expect((out.body as Bundle).entry).toHaveLength(2);
  });

  it('removes labelled resources the patient restricted, adjusts total and tags that some may be hidden, without a count', () => {
    const restriction = restrictLabels({ patientId: 'pat-001', labels: [LABELS.mentalHealth], id: 'c1' });
    const out = applyConsent(bundle(obs('a'), obs('psy', [LABELS.mentalHealth])), ctx({ consents: [restriction] }));
    const b = out.body as Bundle;
    expect(out.hidden).toBe(1);
    expect(b.entry?.map((e) => e.resource?.id)).toEqual(['a']);
    expect(b.total).toBe(1);
    expect(b.meta?.tag?.[0]).toMatchObject({ system: 'urn:housecall:consent-hidden', code: 'some' });
  });

  it('answers alike whether or not a restricted label matched: a search by code cannot tell that such records exist, or how many', () => {
    const restriction = restrictLabels({ patientId: 'pat-001', labels: [LABELS.hiv], id: 'c1' });
    const restricted = ctx({ consents: [restriction] });
    const tags = (b: Bundle) => (applyConsent(b, restricted, { searchType: 'Observation' }).body as Bundle).meta?.tag;
    const withHidden = tags(bundle(obs('h1', [LABELS.hiv]), obs('h2', [LABELS.hiv])));
    expect(withHidden).toBeDefined();
    expect(tags(bundle())).toEqual(withHidden);
    expect(tags(bundle(obs('n')))).toEqual(withHidden);
    expect(tags(bundle(obs('h1', [LABELS.hiv])))).toEqual(withHidden);
    // Nothing in them names the label or counts.
    expect(JSON.stringify(withHidden)).not.toMatch(/HIV|"code":"\d/);
    // Without a restriction of labels, an answer with nothing hidden carries no tag.
    expect((applyConsent(bundle(obs('n')), ctx({}), { searchType: 'Observation' }).body as Bundle).meta?.tag).toBeUndefined();
  });

  it('answers alike whether or not a record fell in a restricted period: a search by date cannot tell that such records exist', () => {
    const dated = (id: string, when: string): Observation => ({ ...obs(id), effectiveDateTime: when });
    const cases: [string, ConsentContext][] = [
      // Nobody may see data from before 2020 (a restriction by the data's period).
      ['restriction of old data', ctx({ consents: [C.restrictOldData] })],
      // Only data from 2026 on is shared with this specialist, whom nothing else lets in.
      ['share of recent data only', ctx({ consents: [C.shareRecentDataWithSpecialist], actor: { reference: `Practitioner/${IDS.specialist}`, roles: [], memberOf: [] }, policy: { noConsent: 'deny' } })],
    ];
    for (const [name, judged] of cases) {
      const answer = (...entries: Observation[]) => applyConsent(bundle(...entries), judged, { searchType: 'Observation' });
      const withOld = answer(dated('old', '2015-03-01'), dated('new', '2026-10-01'));
      expect(withOld.hidden, name).toBe(1);
      const tags = (withOld.body as Bundle).meta?.tag;
      expect(tags, name).toBeDefined();
      expect((answer(dated('new', '2026-10-01')).body as Bundle).meta?.tag, name).toEqual(tags);
      expect((answer().body as Bundle).meta?.tag, name).toEqual(tags);
      expect(JSON.stringify(tags), name).not.toMatch(/20\d\d|"code":"\d/);
    }
  });

  it('withholds a single denied resource so the proxy can answer not found', () => {
    const restriction = restrictLabels({ patientId: 'pat-001', labels: [LABELS.hiv], id: 'c1' });
    expect(applyConsent(obs('h', [LABELS.hiv]), ctx({ consents: [restriction] })).withheld).toBe(true);
    expect(applyConsent(obs('n'), ctx({ consents: [restriction] })).withheld).toBe(false);
  });

  it('refuses a whole type to an actor the patient shut out, and break-glass opens it with an alert', () => {
    const shutOut = restrictActor({ patientId: 'pat-001', actor: 'Practitioner/prac-002', id: 'c2' });
    expect(decideForType(ctx({ consents: [shutOut] }), 'Observation', 'access').decision).toBe('deny');
    expect(decideForType(ctx({ consents: [shutOut], actor: { reference: 'Practitioner/prac-003', roles: [], memberOf: [] } }), 'Observation', 'access').decision).toBe('permit');
    const btg = ctx({ consents: [shutOut], purposeOfUse: 'BTG' });
    expect(decideForType(btg, 'Observation', 'access').decision).toBe('permit');
    const out = applyConsent(bundle(obs('a')), btg);
    expect(out.hidden).toBe(0);
    expect(out.alerts).toBe(1);
  });

  it('with a deny-by-default deployment, only what was shared is visible', () => {
    const share = shareWithPractitioner({ patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'], id: 'c3', period: { start: '2026-10-01', end: '2026-12-01' } });
    const policy = { noConsent: 'deny' as const };
    expect(decideForType(ctx({ consents: [share], policy }), 'Observation', 'access').decision).toBe('permit');
    expect(decideForType(ctx({ consents: [share], policy }), 'Condition', 'access').decision).toBe('deny');
    const later = ctx({ consents: [share], policy, now: new Date('2026-12-02T00:00:00Z') });
    expect(decideForType(later, 'Observation', 'access').decision).toBe('deny');
  });

  it('never hides the patient’s own record from the patient', () => {
    const restriction = restrictLabels({ patientId: 'pat-001', labels: [LABELS.mentalHealth], id: 'c1' });
    const self = ctx({ consents: [restriction], actor: { reference: 'Patient/pat-001', roles: [], memberOf: [] }, purposeOfUse: 'PATRQT' });
    expect(applyConsent(bundle(obs('psy', [LABELS.mentalHealth])), self).hidden).toBe(0);
  });

  it('leaves OperationOutcomes and non-objects alone', () => {
    expect(applyConsent({ resourceType: 'OperationOutcome', issue: [] }, ctx({})).hidden).toBe(0);
    expect(applyConsent(null, ctx({})).body).toBeNull();
    const c: Condition = { resourceType: 'Condition', subject: { reference: 'Patient/pat-001' } };
    expect(applyConsent(c, ctx({})).withheld).toBe(false);
  });
});

describe('hiddenByConsent', () => {
  it('reads the count, the whole-type tag, and nothing', () => {
    expect(hiddenByConsent({ resourceType: 'Bundle', meta: { tag: [{ system: 'urn:housecall:consent-hidden', code: '2' }] } })).toEqual({ hidden: true, count: 2, why: [] });
    expect(hiddenByConsent({ resourceType: 'Bundle', meta: { tag: [CONSENT_HIDDEN_ALL] } })).toEqual({ hidden: true, count: null, why: [] });
    expect(hiddenByConsent({ resourceType: 'Bundle', meta: { tag: [{ system: 'urn:housecall:consent-hidden', code: 'some' }] } })).toEqual({ hidden: true, count: null, why: [] });
    expect(hiddenByConsent({ resourceType: 'Bundle', entry: [] })).toEqual({ hidden: false, count: 0, why: [] });
    expect(hiddenByConsent(undefined)).toEqual({ hidden: false, count: 0, why: [] });
  });
});

describe('hiddenAcross', () => {
  const tagged = (code: string) => ({ resourceType: 'Bundle', meta: { tag: [{ system: 'urn:housecall:consent-hidden', code }] } });
  it('adds counts over a view’s answers, unknown once a whole type was withheld, nothing when none was', () => {
    expect(hiddenAcross([tagged('2'), undefined, tagged('1')])).toEqual({ hidden: true, count: 3, why: [] });
    expect(hiddenAcross([tagged('2'), { resourceType: 'Bundle', meta: { tag: [CONSENT_HIDDEN_ALL] } }])).toEqual({ hidden: true, count: null, why: [] });
    expect(hiddenAcross([{ resourceType: 'Bundle' }, null])).toEqual({ hidden: false, count: 0, why: [] });
  });
});

describe('why something is hidden (role-based hints for the clinician)', () => {
  it('says records marked sensitive are kept back, never which kind: the kind would say what the patient has', () => {
    const restriction = restrictLabels({ patientId: 'pat-001', labels: [LABELS.mentalHealth], id: 'c1' });
    const out = applyConsent(bundle(obs('a'), obs('psy', [LABELS.mentalHealth])), ctx({ consents: [restriction] })).body as Bundle;
    expect(out.meta?.tag?.filter((t) => t.system === CONSENT_WHY_SYSTEM)).toEqual([{ system: CONSENT_WHY_SYSTEM, code: 'label' }]);
    expect(hiddenByConsent(out).why).toEqual(['label']);
    expect(describeWhyHidden(hiddenByConsent(out).why)).toEqual(['Records the patient marks as sensitive: they keep these from anyone they have not chosen.']);
  });

  it('says the patient limited this person when a whole type is refused to them', () => {
    const shutOut = restrictActor({ patientId: 'pat-001', actor: 'Practitioner/prac-002', id: 'c2' });
    const answer = withheldSearchset(decideForType(ctx({ consents: [shutOut] }), 'Observation', 'access'));
    expect(answer).toMatchObject({ resourceType: 'Bundle', total: 0, entry: [] });
    expect(hiddenByConsent(answer)).toEqual({ hidden: true, count: null, why: ['restricted'] });
    expect(describeWhyHidden(['restricted'])[0]).toContain('in your role');
  });

  it('says the patient shares only with people they choose when nothing was shared with this one', () => {
    const answer = withheldSearchset(decideForType(ctx({ policy: { noConsent: 'deny' } }), 'Condition', 'access'));
    expect(hiddenByConsent(answer).why).toEqual(['not-shared']);
    // An answer saved on a device before labels went unnamed still names none.
    expect(describeWhyHidden(['not-shared', 'label:HIV', 'label:unknown', 'nonsense'])).toEqual([
      'Records the patient marks as sensitive: they keep these from anyone they have not chosen.',
      'The patient shares their record only with the people they choose, and has not chosen you for this.',
    ]);
  });

  it('gathers the reasons of every answer a view shows, once each', () => {
    const tagged = (why: string) => ({ resourceType: 'Bundle', meta: { tag: [{ system: 'urn:housecall:consent-hidden', code: '1' }, { system: CONSENT_WHY_SYSTEM, code: why }] } });
    expect(hiddenAcross([tagged('restricted'), tagged('label:PSY'), tagged('restricted')])).toEqual({ hidden: true, count: 3, why: ['label:PSY', 'restricted'] });
  });
});
