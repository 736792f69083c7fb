import { beforeAll, describe, expect, it } from 'vitest';
import { testConfig, useTestAuthorizationServer } from '../../lib/smart/test-harness';
import { isWithdrawn, type SmartConfig } from '../../lib/smart';
import { supportEndLaunch } from './end-launch';

const h = useTestAuthorizationServer();
let config: SmartConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase);
});

async function launch() {
  return h.store.launches.createLaunch({
    id: `launch-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: 's', issuerId: 'test', workflow: 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser: 'Practitioner/prac-001', scope: 'patient/*.rs', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
}

describe('supportEndLaunch (issue 5)', () => {
  it('ends the launch as support-ended (so its client is told to wipe), revokes its tokens and audits it', async () => {
    const l = await launch();
    expect(await supportEndLaunch(l.id, { store: h.store, config, operator: 'ops-1' })).toEqual({ outcome: 'ended' });
    const ended = await h.store.launches.getLaunch(l.id);
    expect(ended?.endReason).toBe('support-ended');
    expect(isWithdrawn(ended!.endReason)).toBe(true);
    expect(await h.store.launches.getTokens(l.id)).toBeUndefined();
    expect(h.as.requests.filter((r) => r.path === '/revoke').map((r) => r.body.get('token'))).toEqual(['RT-0', 'AT-0']);
    const rows = await h.store.audit.listRecent();
    expect(rows.map((r) => [r.launch_id, r.category, r.outcome])).toEqual([[l.id, 'session', 'success']]);
    expect(JSON.parse(rows[0]!.body)).toMatchObject({ subtype: [{ code: 'support-end-launch' }] });
    expect(await h.store.audit.verify()).toMatchObject({ ok: true, count: 1 });
  });

  it('leaves an unknown or already ended launch as it was', async () => {
    expect(await supportEndLaunch('launch-does-not-exist-000', { store: h.store, config, operator: 'ops-1' })).toEqual({ outcome: 'not-found' });
    const l = await launch();
    await h.store.launches.endLaunch(l.id, 'signed-out');
    expect(await supportEndLaunch(l.id, { store: h.store, config, operator: 'ops-1' })).toEqual({ outcome: 'already-ended', endReason: 'signed-out' });
    expect((await h.store.launches.getLaunch(l.id))?.endReason).toBe('signed-out');
    expect(await h.store.audit.verify()).toMatchObject({ ok: true, count: 0 });
  });
});
