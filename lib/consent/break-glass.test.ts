import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { toAccessHistory } from '../audit';
import { openSqliteStore, StoreKey, type LaunchRecord, type Store } from '../store';
import { auditBreakGlassRefused, breakGlassPrivilege, endLapsedBreakGlass, startBreakGlass, stopBreakGlass } from './break-glass';
import { purposeOfUseFor } from './load-context';

const allowed = ['Practitioner/prac-002'];

describe('who may break the glass (issue 11)', () => {
  it.each([
    ['a listed practitioner', { workflow: 'clinician', fhirUser: 'Practitioner/prac-002' }, true, 'allowed'],
    ['a listed practitioner named by an absolute fhirUser', { workflow: 'clinician', fhirUser: 'https://ehr.example/fhir/Practitioner/prac-002' }, true, 'allowed'],
    ['a practitioner not on the list', { workflow: 'clinician', fhirUser: 'Practitioner/prac-003' }, true, 'not-privileged'],
    ['a clinician launch with no fhirUser', { workflow: 'clinician', fhirUser: null }, true, 'not-privileged'],
    ['a role whose practitioner is listed', { workflow: 'clinician', fhirUser: 'PractitionerRole/role-2', actsFor: 'Practitioner/prac-002' }, true, 'allowed'],
    ['a role whose practitioner is not listed', { workflow: 'clinician', fhirUser: 'PractitionerRole/role-3', actsFor: 'Practitioner/prac-003' }, true, 'not-privileged'],
    ['a role whose practitioner could not be read', { workflow: 'clinician', fhirUser: 'PractitionerRole/role-2', actsFor: null }, true, 'not-privileged'],
    ['a patient launch', { workflow: 'patient', fhirUser: 'Patient/pat-001' }, true, 'not-clinician'],
    ['anyone when the deployment disabled it', { workflow: 'clinician', fhirUser: 'Practitioner/prac-002' }, false, 'disabled'],
  ] as const)('%s: %s', (_name, launch, enabled, expected) => {
    expect(breakGlassPrivilege(launch, allowed, enabled)).toBe(expected);
  });
});

describe('purpose of use comes from the issuer and break-glass (issue 11)', () => {
  const clinician = { workflow: 'clinician' as const, fhirUser: 'Practitioner/prac-002', patientId: 'pat-001' };
  it.each([
    ['a clinician at an issuer with no setting', clinician, false, {}, 'TREAT'],
    ['a clinician at an issuer configured for operations', clinician, false, { purposeOfUse: 'HOPERAT' }, 'HOPERAT'],
    ['a clinician under break-glass', clinician, true, { purposeOfUse: 'HOPERAT' }, 'BTG'],
    ['the patient', { workflow: 'patient' as const, fhirUser: 'Patient/pat-001', patientId: 'pat-001' }, false, { purposeOfUse: 'HOPERAT' }, 'PATRQT'],
    ['a practitioner signed in at the portal (not the patient)', { workflow: 'patient' as const, fhirUser: 'Practitioner/prac-002', patientId: 'pat-001' }, false, {}, 'TREAT'],
  ] as const)('%s acts for %s', (_name, launch, breakGlass, issuer, expected) => {
    expect(purposeOfUseFor(launch, breakGlass, issuer)).toBe(expected);
  });
});

async function launched(store: Store, id = 'L1'): Promise<LaunchRecord> {
  return store.launches.createLaunch({
    id, browserSessionId: 's1', issuerId: 'sandbox', workflow: 'clinician', patientId: 'pat-001', encounterId: null, fhirUser: 'Practitioner/prac-002',
    scope: 'launch openid', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null, tokens: { accessToken: 'a', tokenType: 'bearer' },
  });
}

async function history(store: Store) {
  const rows = await store.audit.listForPatient({ issuerId: 'sandbox', patientId: 'pat-001' }, 50);
  return toAccessHistory(rows.map((r) => JSON.parse(r.body) as AuditEvent)).reverse();
}

describe('break-glass has a start and an end the patient sees (issue 11)', () => {
  const t0 = Date.parse('2026-11-01T09:00:00Z');

  it('a refusal is audited as a denied emergency access', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => t0);
    const launch = await launched(store);
    await auditBreakGlassRefused(launch, store, 'not-privileged');
    const [item] = await history(store);
    expect(item).toMatchObject({ outcome: 'refused', breakGlass: true, what: 'was refused emergency access to your record' });
    const event = JSON.parse((await store.audit.listForPatient({ issuerId: 'sandbox', patientId: 'pat-001' }, 1))[0]!.body) as AuditEvent;
    expect(event).toMatchObject({ type: { code: '110113' }, outcome: '4', outcomeDesc: 'not-privileged' });
  });

  it('an expired window is ended once, however many requests notice it', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => t0);
    const launch = await launched(store);
    await startBreakGlass(launch, store, { reason: 'Unconscious in the emergency department', until: t0 + 60_000 });
    const open = (await store.launches.getLaunch('L1'))!;
    const later = new Date(t0 + 120_000);
    const ended = await Promise.all([endLapsedBreakGlass(open, store, later), endLapsedBreakGlass(open, store, later)]);
    expect(ended.filter(Boolean)).toHaveLength(1);
    expect((await store.launches.getLaunch('L1'))!.breakGlassUntil).toBeNull();
    const items = await history(store);
    expect(items.map((i) => i.what)).toEqual(['started emergency access to your record', 'ended emergency access to your record']);
    expect(items.every((i) => i.breakGlass)).toBe(true);
    const end = JSON.parse((await store.audit.listForPatient({ issuerId: 'sandbox', patientId: 'pat-001' }, 1))[0]!.body) as AuditEvent;
    expect(end.subtype).toContainEqual(expect.objectContaining({ code: '110138' }));
    expect(end).toMatchObject({ outcomeDesc: 'expired', recorded: new Date(t0 + 60_000).toISOString() });
  });

  it('the clinician stops it early: a stop event, and the window is closed', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral(), () => t0);
    await startBreakGlass(await launched(store), store, { reason: 'Collapsed in clinic, allergy check', until: t0 + 30 * 60_000 });
    const open = (await store.launches.getLaunch('L1'))!;
    expect(await stopBreakGlass(open, store, new Date(t0 + 60_000))).toBe(true);
    expect(await stopBreakGlass((await store.launches.getLaunch('L1'))!, store, new Date(t0 + 61_000))).toBe(false);
    expect((await store.launches.getLaunch('L1'))!.breakGlassUntil).toBeNull();
    const last = JSON.parse((await store.audit.listForPatient({ issuerId: 'sandbox', patientId: 'pat-001' }, 1))[0]!.body) as AuditEvent;
    expect(last.outcomeDesc).toBe('stopped');
  });
});
