import { describe, expect, it } from 'vitest';
import { StoreKey } from './index';
import { STORE_ADAPTERS } from './test-stores';

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  const secret = { codeVerifier: 'v'.repeat(43), nonce: 'n', launch: 'abc', workflow: 'clinician' as const, redirectUri: 'http://localhost:3000/redirect' };

  async function fixture() {
    let now = 1_000_000;
    const store = await adapter.open(StoreKey.ephemeral(), () => now);
    return { store, advance: (ms: number) => (now += ms) };
  }

  describe('pending authorizations', () => {
    it('can be consumed once, by the browser session that started them', async () => {
      const { store } = await fixture();
      await store.launches.createPending({ stateHash: 'h1', browserSessionId: 's1', issuerId: 'sandbox', secret, ttlMs: 600_000 });
      expect(await store.launches.consumePending('h1', 's2')).toEqual({ ok: false, reason: 'other-session' });
      const first = await store.launches.consumePending('h1', 's1');
      expect(first).toEqual({ ok: true, issuerId: 'sandbox', secret });
      expect(await store.launches.consumePending('h1', 's1')).toEqual({ ok: false, reason: 'replayed' });
      expect(await store.launches.consumePending('nope', 's1')).toEqual({ ok: false, reason: 'unknown' });
    });

    it('expire after their time to live', async () => {
      const { store, advance } = await fixture();
      await store.launches.createPending({ stateHash: 'h2', browserSessionId: 's1', issuerId: 'sandbox', secret, ttlMs: 600_000 });
      advance(600_001);
      expect(await store.launches.consumePending('h2', 's1')).toEqual({ ok: false, reason: 'expired' });
    });
  });

  describe('launch records', () => {
    it('keep tokens sealed at rest and bound to their row', async () => {
      const { store } = await fixture();
      const base = {
        browserSessionId: 's1', issuerId: 'sandbox', workflow: 'clinician' as const, patientId: 'pat-001', encounterId: null,
        fhirUser: 'Practitioner/pr-1', scope: 'launch openid', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null,
      };
      await store.launches.createLaunch({ ...base, id: 'L1', tokens: { accessToken: 'secret-access-1', tokenType: 'bearer' } });
      await store.launches.createLaunch({ ...base, id: 'L2', tokens: { accessToken: 'secret-access-2', tokenType: 'bearer' } });
      const raw = await store.db.selectFrom('launches').select(['id', 'tokens_sealed']).execute();
      for (const row of raw) expect(row.tokens_sealed).not.toContain('secret-access');
      expect((await store.launches.getTokens('L1'))?.accessToken).toBe('secret-access-1');
      // Moving L2's ciphertext onto L1 must not open.
      const l2 = raw.find((r) => r.id === 'L2')!;
      await store.db.updateTable('launches').set({ tokens_sealed: l2.tokens_sealed }).where('id', '=', 'L1').execute();
      await expect(store.launches.getTokens('L1')).rejects.toThrow();
      await expect(store.launches.getLaunchWithTokens('L1')).rejects.toThrow();
    });

    it('read with their tokens in one go, and without tokens once ended (issue 16)', async () => {
      const { store } = await fixture();
      const base = {
        browserSessionId: 's1', issuerId: 'sandbox', workflow: 'clinician' as const, patientId: 'pat-001', encounterId: null,
        fhirUser: 'Practitioner/pr-1', scope: 'launch openid', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: 5_000_000,
      };
      await store.launches.createLaunch({ ...base, id: 'L3', tokens: { accessToken: 'access-3', refreshToken: 'refresh-3', tokenType: 'bearer' } });
      const read = await store.launches.getLaunchWithTokens('L3');
      expect(read?.launch).toEqual(await store.launches.getLaunch('L3'));
      expect(read?.tokens).toEqual({ accessToken: 'access-3', refreshToken: 'refresh-3', tokenType: 'bearer' });
      await store.launches.endLaunch('L3', 'signed-out');
      const ended = await store.launches.getLaunchWithTokens('L3');
      expect(ended?.launch.endReason).toBe('signed-out');
      expect(ended?.tokens).toBeUndefined();
      expect(await store.launches.getLaunchWithTokens('nope')).toBeUndefined();
    });

    it('name their issuer, remembered after the first read (issue 16)', async () => {
      const { store } = await fixture();
      expect(await store.launches.issuerOf('L4')).toBeUndefined();
      await store.launches.createLaunch({
        id: 'L4', browserSessionId: 's1', issuerId: 'sandbox', workflow: 'patient', patientId: 'pat-001', encounterId: null, fhirUser: 'Patient/pat-001',
        scope: 'launch/patient openid', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null, tokens: { accessToken: 'a', tokenType: 'bearer' },
      });
      expect(await store.launches.issuerOf('L4')).toBe('sandbox');
      // Remembered: answered without the row (a launch's issuer never changes; this only proves no read happens).
      await store.db.deleteFrom('launches').where('id', '=', 'L4').execute();
      expect(await store.launches.issuerOf('L4')).toBe('sandbox');
    });

    it('end destroys the tokens and records why', async () => {
      const { store } = await fixture();
      await store.launches.createLaunch({
        id: 'L3', browserSessionId: 's', issuerId: 'sandbox', workflow: 'patient', patientId: 'pat-002', encounterId: null, fhirUser: null,
        scope: 's', needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: null, tokens: { accessToken: 'a', refreshToken: 'r', tokenType: 'bearer' },
      });
      await store.launches.endLaunch('L3', 'signed-out');
      const rec = await store.launches.getLaunch('L3');
      expect(rec?.endReason).toBe('signed-out');
      expect(rec?.endedAt).not.toBeNull();
      expect(await store.launches.getTokens('L3')).toBeUndefined();
    });
  });

  describe('replacing tokens after a refresh', () => {
    const base = {
      browserSessionId: 's1', issuerId: 'sandbox', workflow: 'clinician' as const, patientId: 'pat-001', encounterId: null,
      fhirUser: 'Practitioner/pr-1', scope: 'openid patient/Observation.rs', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null,
      tokens: { accessToken: 'a1', refreshToken: 'r1', tokenType: 'bearer' },
    };
    const next = (n: number, scope?: string) => ({ tokens: { accessToken: `a${n}`, refreshToken: `r${n}`, tokenType: 'bearer' }, accessExpiresAt: 42, scope });

    it('stores them only while the launch holds the refresh token that was sent, and takes the returned scope', async () => {
      const { store } = await fixture();
      await store.launches.createLaunch({ ...base, id: 'R1' });
      expect(await store.launches.tryAcquireRefreshLease('R1', 30_000)).toBe(true);
      expect(await store.launches.replaceTokens('R1', next(2, 'openid patient/Observation.rs?category=laboratory'), 'r1')).toBe('replaced');
      expect(await store.launches.getLaunch('R1')).toMatchObject({ scope: 'openid patient/Observation.rs?category=laboratory', accessExpiresAt: 42 });
      expect(await store.launches.tryAcquireRefreshLease('R1', 30_000)).toBe(true); // replacing released the lease
      // A second refresh that spent r1 again (or raced) is refused: r2 is stored, not r3.
      expect(await store.launches.replaceTokens('R1', next(3), 'r1')).toBe('superseded');
      expect((await store.launches.getTokens('R1'))?.refreshToken).toBe('r2');
      expect(await store.launches.replaceTokens('R1', next(4), 'r2')).toBe('replaced');
      expect((await store.launches.getLaunch('R1'))?.scope).toBe('openid patient/Observation.rs?category=laboratory'); // no scope returned: grant kept
    });

    it('refuses on an ended launch, which keeps no tokens', async () => {
      const { store } = await fixture();
      await store.launches.createLaunch({ ...base, id: 'R2' });
      await store.launches.endLaunch('R2', 'signed-out');
      expect(await store.launches.replaceTokens('R2', next(2), 'r1')).toBe('ended');
      expect(await store.launches.getTokens('R2')).toBeUndefined();
      expect(await store.launches.replaceTokens('missing', next(2), 'r1')).toBe('ended');
    });
  });

  describe.runIf(adapter.shared)('several app instances over one store', () => {
    const launch = {
      id: 'LS1', browserSessionId: 's1', issuerId: 'sandbox', workflow: 'clinician' as const, patientId: 'pat-001', encounterId: null,
      fhirUser: 'Practitioner/pr-1', scope: 'launch openid offline_access', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null,
      tokens: { accessToken: 'a1', refreshToken: 'r1', tokenType: 'bearer' },
    };

    it('one instance refreshes at a time: of many racing for the lease exactly one gets it, and after release the next can', async () => {
      let now = 5_000_000;
      const instances = await adapter.openShared(StoreKey.ephemeral(), 3, () => now);
      await instances[0]!.launches.createLaunch(launch);
      const race = await Promise.all(instances.flatMap((s) => [s.launches.tryAcquireRefreshLease('LS1', 30_000), s.launches.tryAcquireRefreshLease('LS1', 30_000)]));
      expect(race.filter(Boolean)).toHaveLength(1);
      expect(await instances[2]!.launches.tryAcquireRefreshLease('LS1', 30_000)).toBe(false);
      expect(await instances[1]!.launches.replaceTokens('LS1', { tokens: { ...launch.tokens, accessToken: 'a2', refreshToken: 'r2' }, accessExpiresAt: null }, 'r1')).toBe('replaced'); // releases the lease
      expect((await instances[2]!.launches.getTokens('LS1'))?.refreshToken).toBe('r2');
      expect(await instances[2]!.launches.tryAcquireRefreshLease('LS1', 30_000)).toBe(true);
      now += 30_001; // a holder that died lets go when its lease runs out
      expect(await instances[0]!.launches.tryAcquireRefreshLease('LS1', 30_000)).toBe(true);
    });

    it('a launch ended on one instance is ended for all, and its tokens are gone everywhere', async () => {
      const [a, b] = await adapter.openShared(StoreKey.ephemeral(), 2);
      await a!.launches.createLaunch({ ...launch, id: 'LS2' });
      expect((await b!.launches.getLaunch('LS2'))?.endedAt).toBeNull();
      await b!.launches.endLaunch('LS2', 'refresh-failed');
      expect(await a!.launches.getLaunch('LS2')).toMatchObject({ endReason: 'refresh-failed' });
      expect(await a!.launches.getTokens('LS2')).toBeUndefined();
      expect(await a!.launches.tryAcquireRefreshLease('LS2', 1_000)).toBe(false);
    });
  });
});
