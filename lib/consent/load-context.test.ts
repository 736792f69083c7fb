/**
 * The requester a launch can prove (consent review #24): a clinician launch with no verified
 * `fhirUser`, or one that is not a plain reference, is an ambiguous actor, and rules naming an
 * actor fail closed for it.
 */
import { describe, expect, it } from 'vitest';
import type { Consent } from '@medplum/fhirtypes';
import type { ConsentStore, LaunchRecord } from '../store';
import { restrictActor } from './build';
import { decideForType } from './enforce';
import { loadConsentContext } from './load-context';

const NOW = new Date('2026-06-01T12:00:00Z');
const restriction = { ...restrictActor({ patientId: 'pat-001', id: 'restrict-spec', dateTime: '2026-01-01T00:00:00Z', actor: 'Practitioner/prac-009' }), id: 'restrict-spec' } as Consent;
const store = { listForPatient: async () => [restriction] } as unknown as ConsentStore;
const launchAs = (fhirUser: string | null, actsFor: string | null = null) => ({ id: 'L', issuerId: 'test', workflow: 'clinician', patientId: 'pat-001', fhirUser, actsFor, breakGlassUntil: null }) as unknown as LaunchRecord;

describe('loadConsentContext: who is asking', () => {
  it('a proven practitioner is that actor, and another practitioner’s restriction leaves them alone', async () => {
    const ctx = (await loadConsentContext(launchAs('Practitioner/prac-001'), store, NOW))!;
    expect(ctx.actor).toEqual({ reference: 'Practitioner/prac-001', roles: [], memberOf: [] });
    expect(decideForType(ctx, 'Observation', 'access').decision).toBe('permit');
  });

  it('a user named by a role is restricted as the practitioner the role belongs to', async () => {
    const ctx = (await loadConsentContext(launchAs('PractitionerRole/role-9', 'Practitioner/prac-009'), store, NOW))!;
    expect(ctx.actor).toEqual({ reference: 'PractitionerRole/role-9', roles: [], memberOf: ['Practitioner/prac-009'] });
    const decision = decideForType(ctx, 'Observation', 'access');
    expect(decision.decision).toBe('deny');
    expect(decision.consentIds).toEqual(['restrict-spec']);
    // The role of someone else is not restricted.
    const other = (await loadConsentContext(launchAs('PractitionerRole/role-1', 'Practitioner/prac-001'), store, NOW))!;
    expect(decideForType(other, 'Observation', 'access').decision).toBe('permit');
  });

  it('a user named by a role whose practitioner could not be read is an ambiguous actor', async () => {
    const ctx = (await loadConsentContext(launchAs('PractitionerRole/role-9', null), store, NOW))!;
    expect(ctx.actor.verified).toBe(false);
    expect(decideForType(ctx, 'Observation', 'access').decision).toBe('deny');
  });

  it.each([null, 'https://ehr.example/fhir/Practitioner/prac-009', 'Practitioner?identifier=x|1'])('a launch whose user is %j is an ambiguous actor: a restriction naming anyone withholds', async (fhirUser) => {
    const ctx = (await loadConsentContext(launchAs(fhirUser), store, NOW))!;
    expect(ctx.actor.verified).toBe(false);
    const decision = decideForType(ctx, 'Observation', 'access');
    expect(decision.decision).toBe('deny');
    expect(decision.consentIds).toEqual(['restrict-spec']);
  });
});
