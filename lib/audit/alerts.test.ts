import { describe, expect, it } from 'vitest';
import { StoreKey } from '../store';
import { STORE_ADAPTERS } from '../store/test-stores';
import { metrics, recordUnusualAccess } from '../telemetry';
import { unusualAccessNow } from './alerts';
import { recordAudit } from './record';

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  it('finds a user opening many patients from the audit log and their launches, and nothing for an ordinary day', async () => {
    let now = Date.parse('2026-06-01T12:00:00Z');
    const store = await adapter.open(StoreKey.ephemeral(), () => now);
    const launch = (id: string, fhirUser: string, patientId: string) => store.launches.createLaunch({
      id, browserSessionId: 's', issuerId: 'sandbox', workflow: 'clinician', patientId, encounterId: null, fhirUser, scope: 'launch', needPatientBanner: false, smartStyleUrl: null, accessExpiresAt: null, tokens: { accessToken: 'a', tokenType: 'bearer' },
    });
    const access = (launchId: string, fhirUser: string, patientId: string) => recordAudit(store.audit, {
      category: 'access', outcome: 'success', subtype: 'read', actor: { fhirUser, clientId: 'housecall', issuerId: 'sandbox' }, patientId, launchId, recorded: new Date(now),
    });
    for (let i = 0; i < 3; i++) {
      await launch(`L-ok-${i}`, 'Practitioner/prac-001', `pat-${i}`);
      await access(`L-ok-${i}`, 'Practitioner/prac-001', `pat-${i}`);
    }
    expect(await unusualAccessNow(store, now)).toEqual([]);
    for (let i = 0; i < 20; i++) {
      await launch(`L-many-${i}`, 'Practitioner/prac-004', `pat-${100 + i}`);
      await access(`L-many-${i}`, 'Practitioner/prac-004', `pat-${100 + i}`);
    }
    for (let i = 0; i < 5; i++) {
      await launch(`L-end-${i}`, 'Practitioner/prac-005', 'pat-1');
      await store.launches.endLaunch(`L-end-${i}`, 'refresh-failed');
    }
    now += 60_000;
    expect(await unusualAccessNow(store, now)).toEqual([
      { rule: 'many-patients', issuerId: 'sandbox', actor: 'Practitioner/prac-004', count: 20, windowMinutes: 60 },
      { rule: 'refresh-failures', issuerId: 'sandbox', count: 5, windowMinutes: 10 },
    ]);
    now += 61 * 60_000;
    expect(await unusualAccessNow(store, now)).toEqual([]);
  });
});

describe('the unusual-access gauge', () => {
  it('shows the findings now, and drops back to nothing when they pass', async () => {
    recordUnusualAccess([{ rule: 'many-patients', issuerId: 'sandbox' }, { rule: 'break-glass', issuerId: 'sandbox' }, { rule: 'break-glass', issuerId: 'sandbox' }]);
    let text = await metrics.registry.metrics();
    expect(text).toMatch(/housecall_unusual_access_findings\{rule="many-patients",issuer="sandbox"\} 1/);
    expect(text).toMatch(/housecall_unusual_access_findings\{rule="break-glass",issuer="sandbox"\} 2/);
    recordUnusualAccess([]);
    text = await metrics.registry.metrics();
    expect(text).not.toMatch(/housecall_unusual_access_findings\{/);
  });
});
