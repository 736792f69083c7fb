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
const launchAs = (fhirUser: string | null) => ({ id: 'L', issuerId: 'test', workflow: 'clinician', patientId: 'pat-001', fhirUser, breakGlassUntil: null }) as unknown as LaunchRecord;

describe('loadConsentContext: who is asking', () => {
  it('a proven practitioner is that actor, and another practitioner’s restriction leaves them alone', async () => {
    const ctx = (await loadConsentContext(launchAs('Practitioner/prac-001'), store, NOW))!;
    expect(ctx.actor).toEqual({ reference: 'Practitioner/prac-001', roles: [], memberOf: [] });
    expect(decideForType(ctx, 'Observation', 'access').decision).toBe('permit');
  });

  it.each([null, 'https://ehr.example/fhir/Practitioner/prac-009', 'Practitioner?identifier=x|1'])('a launch whose user is %j is an ambiguous actor: a restriction naming anyone withholds', async (fhirUser) => {
    const ctx = (await loadConsentContext(launchAs(fhirUser), store, NOW))!;
    expect(ctx.actor.verified).toBe(false);
    const decision = decideForType(ctx, 'Observation', 'access');
    expect(decision.decision).toBe('deny');
    expect(decision.consentIds).toEqual(['restrict-spec']);
  });
});
