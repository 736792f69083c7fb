import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig, useTestAuthorizationServer } from '../smart/test-harness';
import type { SmartConfig } from '../smart';
import { endLaunchAsStaff, heldChangesAsStaff, revealAsStaff } from './actions';
import { findLaunches, parseLaunchQuery } from './find-launch';
import { pseudonym } from './pseudonym';

const h = useTestAuthorizationServer();
let config: SmartConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase);
});
const key = Buffer.alloc(32, 9);
const support = { staffId: 'staff-support-1', name: 'Robin Okafor', roles: ['support' as const] };
const auditor = { staffId: 'staff-auditor-1', name: 'Sam Achterberg', roles: ['auditor' as const] };

async function launch(patientId = 'pat-001', fhirUser = 'Practitioner/prac-001', browserSessionId = 's') {
  return h.store.launches.createLaunch({
    id: `launch-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId, issuerId: 'test', workflow: 'clinician', patientId,
    encounterId: null, fhirUser, scope: 'patient/*.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
}

/** The last staff event's subtype, agent and reason. */
async function lastStaffEvent() {
  const rows = (await h.store.audit.listRecent(20)).filter((r) => r.category === 'staff');
  const row = rows[0]!;
  const body = JSON.parse(row.body) as { subtype: { code: string }[]; outcomeDesc?: string; agent: { who: { identifier?: { value: string }; display?: string } }[]; extension?: { valueString: string }[] };
  return { row, subtype: body.subtype[0]!.code, outcome: body.outcomeDesc, staff: body.agent[0]!.who.identifier?.value, name: body.agent[0]!.who.display, reason: body.extension?.[0]?.valueString };
}

describe('staff actions, each audited with the staff member', () => {
  it('ending a launch revokes and ends it (the wipe) and records who ended it and why', async () => {
    const l = await launch();
    expect(await endLaunchAsStaff(support, l.id, 'lost phone', { store: h.store, config })).toEqual({ outcome: 'ended' });
    expect((await h.store.launches.getLaunch(l.id))?.endReason).toBe('support-ended');
    expect(h.as.requests.filter((r) => r.path === '/revoke').length).toBeGreaterThanOrEqual(2);
    expect(await lastStaffEvent()).toMatchObject({ subtype: 'staff-end-launch', outcome: 'support-ended', staff: 'staff-support-1', name: 'Robin Okafor', reason: 'lost phone' });
    expect((await lastStaffEvent()).row).toMatchObject({ launch_id: l.id, patient_id: 'pat-001', issuer_id: 'test' });
    // A second try changes nothing and is audited as such.
    expect(await endLaunchAsStaff(support, l.id, 'again', { store: h.store, config })).toMatchObject({ outcome: 'already-ended' });
    expect(await lastStaffEvent()).toMatchObject({ subtype: 'staff-end-launch', outcome: 'already-ended' });
    expect(await h.store.audit.verify()).toMatchObject({ ok: true });
  });

  it('releasing keeps held changes another 7 days; discarding deletes them; both audited with the count', async () => {
    const l = await launch('pat-002');
    const owner = { issuerId: 'test', fhirUser: 'Practitioner/prac-001', patientId: 'pat-002' };
    await h.store.held.hold(owner, [{ entryId: 'e1', body: '{"resourceType":"Patient"}' }, { entryId: 'e2', body: '{}' }]);
    expect(await heldChangesAsStaff(support, l.id, 'release', 'on leave until Monday', { store: h.store })).toEqual({ outcome: 'done', count: 2 });
    expect(await lastStaffEvent()).toMatchObject({ subtype: 'staff-release-held', outcome: 'held-released-2', reason: 'on leave until Monday' });
    expect(await h.store.held.list(owner)).toHaveLength(2);
    expect(await heldChangesAsStaff(support, l.id, 'discard', 'duplicate of a change made at the desk', { store: h.store })).toEqual({ outcome: 'done', count: 2 });
    expect(await lastStaffEvent()).toMatchObject({ subtype: 'staff-discard-held', outcome: 'held-discarded-2' });
    expect(await h.store.held.list(owner)).toEqual([]);
    expect(await heldChangesAsStaff(support, 'launch-does-not-exist-000', 'discard', 'x y z', { store: h.store })).toEqual({ outcome: 'not-found' });
  });

  it('a reveal is audited before the id is returned', async () => {
    const l = await launch('pat-003');
    expect(await revealAsStaff(auditor, l.id, 'patient', 'complaint 42 follow-up', { store: h.store })).toBe('pat-003');
    expect(await lastStaffEvent()).toMatchObject({ subtype: 'staff-reveal-id', outcome: 'reveal-patient', staff: 'staff-auditor-1', reason: 'complaint 42 follow-up' });
    expect(await revealAsStaff(auditor, l.id, 'user', 'complaint 42 follow-up', { store: h.store })).toBe('Practitioner/prac-001');
  });
});

describe('finding a launch', () => {
  it('reads an error reference, a pseudonym or a launch id, and refuses anything else (a name, an MRN)', () => {
    expect(parseLaunchQuery(' 0A1b2C3d ')).toEqual({ kind: 'error-reference', value: '0a1b2c3d' });
    expect(parseLaunchQuery(`u-${'a'.repeat(24)}`)).toEqual({ kind: 'user', value: `u-${'a'.repeat(24)}` });
    expect(parseLaunchQuery(`p-${'b'.repeat(24)}`)).toEqual({ kind: 'patient', value: `p-${'b'.repeat(24)}` });
    expect(parseLaunchQuery('AbCdEfGhIjKlMnOpQr')).toEqual({ kind: 'launch-id', value: 'AbCdEfGhIjKlMnOpQr' });
    expect(parseLaunchQuery('Ada Testcase')).toBeUndefined();
    expect(parseLaunchQuery('MRN-000123')).toBeUndefined();
    expect(parseLaunchQuery('1958-03-14')).toBeUndefined();
  });

  it('pseudonyms are keyed HMACs: stable, distinct per kind, issuer and key, and find exactly that person’s launches', async () => {
    const a = pseudonym('patient', 'test', 'pat-010', key);
    expect(a).toMatch(/^p-[0-9a-f]{24}$/);
    expect(pseudonym('patient', 'test', 'pat-010', key)).toBe(a);
    expect(pseudonym('patient', 'other', 'pat-010', key)).not.toBe(a);
    expect(pseudonym('user', 'test', 'pat-010', key).slice(2)).not.toBe(a.slice(2));
    expect(pseudonym('patient', 'test', 'pat-010', Buffer.alloc(32, 1))).not.toBe(a);
    const mine = await launch('pat-010');
    await launch('pat-011');
    const found = await findLaunches({ kind: 'patient', value: a }, { support: h.store.support, key, now: Date.now() });
    expect(found.launches.map((l) => l.id)).toEqual([mine.id]);
    const byUser = await findLaunches({ kind: 'user', value: pseudonym('user', 'test', 'Practitioner/prac-001', key) }, { support: h.store.support, key, now: Date.now() });
    expect(byUser.launches.map((l) => l.id)).toContain(mine.id);
  });

  it('an error reference leads to the launches of the browser it happened in', async () => {
    const mine = await launch('pat-012', 'Patient/pat-012', 'browser-of-the-caller');
    await launch('pat-013', 'Patient/pat-013', 'someone-else');
    await h.store.support.recordErrorReference({ reference: '0badcafe', code: 'token_exchange_failed', issuerId: 'test', browserSessionId: 'browser-of-the-caller', launchId: null });
    const found = await findLaunches({ kind: 'error-reference', value: '0badcafe' }, { support: h.store.support, key, now: Date.now() });
    expect(found.reference).toMatchObject({ code: 'token_exchange_failed', issuerId: 'test' });
    expect(found.launches.map((l) => l.id)).toEqual([mine.id]);
    expect((await findLaunches({ kind: 'error-reference', value: 'deadbeef' }, { support: h.store.support, key, now: Date.now() })).launches).toEqual([]);
  });
});
