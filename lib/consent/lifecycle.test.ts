import type { Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { shareWithPractitioner } from './build';
import { decide } from './decide';
import { CONSENTS as C, NOW, POLICIES, REFS, request } from './fixtures';
import { CONSENT_EVENTS, consentHistory, effectiveStatus, HISTORY_EXTENSION_URL, transition, TRANSITIONS, type ConsentEvent } from './lifecycle';

type Status = Consent['status'];
const STATUSES: Status[] = ['draft', 'proposed', 'active', 'inactive', 'rejected', 'entered-in-error'];
const draft = (overrides: Partial<Consent> = {}): Consent => ({ ...shareWithPractitioner({ id: 'c1', patientId: 'pat-001', practitionerId: 'prac-001', status: 'draft' }), ...overrides });

function ok(result: ReturnType<typeof transition>): Consent {
  if (!result.ok) throw new Error(`expected a legal transition, got ${result.error.code}`);
  return result.consent;
}

/** What the state machine must do, written out by hand rather than derived from TRANSITIONS. */
const EXPECTED: Record<ConsentEvent, Partial<Record<Status, Status>>> = {
  activate: { draft: 'active', proposed: 'active' },
  revoke: { active: 'inactive' },
  reject: { draft: 'rejected', proposed: 'rejected' },
  'mark-entered-in-error': { draft: 'entered-in-error', proposed: 'entered-in-error', active: 'entered-in-error', inactive: 'entered-in-error', rejected: 'entered-in-error' },
};

describe('transition()', () => {
  const grid = CONSENT_EVENTS.flatMap((event) => STATUSES.map((from) => ({ event, from, to: EXPECTED[event][from] })));

  it.each(grid)('$event from $from → $to', ({ event, from, to }) => {
    const result = transition(draft({ status: from }), event, NOW);
    if (to === undefined) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect([result.error.code, result.error.from, result.error.event]).toEqual(['illegal-transition', from, event]);
    } else {
      expect(result.ok && result.consent.status).toBe(to);
    }
  });

  it('the exported table agrees with the expected machine', () => {
    for (const event of CONSENT_EVENTS) expect([...TRANSITIONS[event].from].sort()).toEqual(Object.keys(EXPECTED[event]).sort());
  });

  it('revoking a draft is refused with a stable code and a PHI-free message', () => {
    const result = transition(draft(), 'revoke', NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('illegal-transition');
    expect(result.error.name).toBe('ConsentTransitionError');
    expect(result.error.message).not.toContain('pat-001');
  });

  it('activation records when the consent was given, once', () => {
    const activated = ok(transition(draft(), 'activate', NOW));
    expect(activated.dateTime).toBe('2026-11-01T09:00:00.000Z');
    const given = ok(transition(draft({ dateTime: '2026-10-30T12:00:00Z' }), 'activate', NOW));
    expect(given.dateTime).toBe('2026-10-30T12:00:00Z');
  });

  it('keeps history across transitions without changing the input', () => {
    const start = draft();
    const frozen = JSON.stringify(start);
    const active = ok(transition(start, 'activate', NOW, REFS.patient));
    const revoked = ok(transition(active, 'revoke', new Date('2026-11-02T10:00:00Z'), 'https://ehr.example/fhir/Patient/pat-001'));
    expect(JSON.stringify(start)).toBe(frozen);
    expect(consentHistory(revoked)).toEqual([
      { event: 'activate', from: 'draft', to: 'active', at: '2026-11-01T09:00:00.000Z', by: 'Patient/pat-001' },
      { event: 'revoke', from: 'active', to: 'inactive', at: '2026-11-02T10:00:00.000Z', by: 'Patient/pat-001' },
    ]);
    expect(revoked.extension?.every((e) => e.url === HISTORY_EXTENSION_URL)).toBe(true);
  });

  it('drops an actor that is not a reference from the history entry', () => {
    const result = transition(draft(), 'activate', NOW, 'someone');
    expect(result.ok && result.entry).toEqual({ event: 'activate', from: 'draft', to: 'active', at: '2026-11-01T09:00:00.000Z' });
  });

  it('refuses to activate a consent whose period has ended', () => {
    const result = transition(draft({ provision: { type: 'permit', period: { end: '2026-10-31' } } }), 'activate', NOW);
    expect(!result.ok && result.error.code).toBe('period-ended');
  });

  it('refuses to activate a consent whose period cannot be read', () => {
    const result = transition(draft({ provision: { type: 'permit', period: { start: '2026-13-01' } } }), 'activate', NOW);
    expect(!result.ok && result.error.code).toBe('invalid-period');
  });

  it('allows activating a consent that starts later (scheduled)', () => {
    const later = ok(transition(draft({ provision: { type: 'permit', period: { start: '2027-01-01' } } }), 'activate', NOW));
    expect(effectiveStatus(later, NOW)).toBe('scheduled');
  });

  it('refuses an unreadable clock', () => {
    const result = transition(draft(), 'activate', new Date(Number.NaN));
    expect(!result.ok && result.error.code).toBe('invalid-time');
  });

  it('a revoked consent stops permitting at once', () => {
    const active = ok(transition(draft(), 'activate', NOW));
    expect(decide(request(), [active], NOW, POLICIES.denyByDefault).decision).toBe('permit');
    const revoked = ok(transition(active, 'revoke', NOW));
    expect(decide(request(), [revoked], NOW, POLICIES.denyByDefault).reasons).toEqual(['default-deny']);
  });
});

describe('effectiveStatus()', () => {
  it.each<[string, Consent, string]>([
    ['active inside its period', C.shareObservationsWithSpecialist, 'active'],
    ['active past its period end', C.expiredShareWithSpecialist, 'expired'],
    ['active before its period start', C.futureShareWithSpecialist, 'scheduled'],
    ['active, open-ended', C.shareAllWithGp, 'active'],
    ['active, recorded tomorrow', C.shareRecordedTomorrow, 'scheduled'],
    ['revoked', C.revokedShare, 'inactive'],
    ['draft past its period end stays draft', { ...C.expiredShareWithSpecialist, status: 'draft' }, 'draft'],
    ['entered in error', C.enteredInErrorShare, 'entered-in-error'],
  ])('%s', (_name, consent, expected) => {
    expect(effectiveStatus(consent, NOW)).toBe(expected);
  });
});

describe('consentHistory()', () => {
  it('skips malformed entries', () => {
    const consent = draft({ extension: [{ url: HISTORY_EXTENSION_URL, extension: [{ url: 'event', valueCode: 'explode' }] }, { url: 'https://other.example', valueString: 'x' }] });
    expect(consentHistory(consent)).toEqual([]);
  });
});
