import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIG_PATIENT, FIXTURE_PATIENTS } from '@/fixtures';
import { phiIn } from '@/fixtures/phi.testing';
import { recordAudit, unusualAccessNow } from '@/lib/audit';
import { openSqliteStore, StoreKey, type Store } from '@/lib/store';
import { findLaunches } from '@/lib/staff/find-launch';
import { buildLaunchView, toFindingView, toLaunchRow } from '@/lib/staff/launch-view';
import { pseudonym } from '@/lib/staff/pseudonym';
import { failedLaunchesByReason, refusedRefreshesByIssuer } from '@/lib/staff/support-lists';
import { LaunchDetail } from './launch-detail';
import { LaunchTable } from './launch-table';
import { FailedLaunches, Findings, RefusedRefreshes } from './support-lists';

// Issue 15: every support page, rendered for launches of every seeded patient, shows none of
// their names, MRNs or birth dates, although the store holds them (held changes carry the
// patient's contact details; audit events and launches carry patient ids).
const key = Buffer.alloc(32, 3);
const patients = [...FIXTURE_PATIENTS, BIG_PATIENT];
let store: Store;
const launchIds: string[] = [];

beforeAll(async () => {
  store = await openSqliteStore(':memory:', StoreKey.ephemeral());
  let n = 0;
  for (const p of patients) {
    for (const workflow of ['patient', 'clinician'] as const) {
      const fhirUser = workflow === 'patient' ? `Patient/${p.id}` : 'Practitioner/prac-001';
      const l = await store.launches.createLaunch({
        id: `launch-${String(n++).padStart(4, '0')}-abcdefghijkl`, browserSessionId: `browser-${p.id}`, issuerId: 'sandbox', workflow, patientId: p.id, encounterId: null, fhirUser,
        scope: 'patient/*.rs', needPatientBanner: workflow === 'patient', smartStyleUrl: null, accessExpiresAt: Date.now() + 300_000,
        tokens: { accessToken: `AT-${p.id}`, refreshToken: `RT-${p.id}`, tokenType: 'bearer' },
      });
      launchIds.push(l.id);
      await recordAudit(store.audit, { category: 'access', outcome: 'success', subtype: 'read', actor: { fhirUser, clientId: 'housecall', issuerId: 'sandbox' }, patientId: p.id, launchId: l.id, entity: { reference: `Patient/${p.id}`, query: `patient=${p.id}&name=${p.family}` } });
      await recordAudit(store.audit, { category: 'access', outcome: 'denied', outcomeCode: 'consent-denied', subtype: 'search-type', actor: { fhirUser, clientId: 'housecall', issuerId: 'sandbox' }, patientId: p.id, launchId: l.id, entity: { reference: `Observation/${p.id}-obs-1` } });
      await store.support.putClientMetrics(l.id, { queueDepth: 1, byState: { pending: 1, 'in-flight': 0, synced: 3, failed: 0, 'needs-review': 1 }, cacheAgeMs: { clinical: 60_000, reference: null, drafts: 5_000, operational: 1_000 }, persistent: true, persistenceGranted: false });
      await store.held.hold({ issuerId: 'sandbox', fhirUser, patientId: p.id }, [{ entryId: `e-${l.id}`, body: JSON.stringify({ resourceType: 'Patient', resource: { resourceType: 'Patient', name: [{ given: [p.given], family: p.family, text: p.display }], birthDate: p.birthDate, identifier: [{ value: p.mrn }] } }) }]);
      await store.support.recordErrorReference({ reference: (0x10000000 + n).toString(16), code: 'token_exchange_failed', issuerId: 'sandbox', browserSessionId: `browser-${p.id}`, launchId: null });
    }
  }
  // Some launches ended by refused refreshes, one by support.
  for (const id of launchIds.slice(0, 6)) await store.launches.endLaunch(id, 'refresh-failed');
  await store.launches.endLaunch(launchIds[7]!, 'support-ended');
});
afterAll(async () => {
  await store.close();
});

describe('the PHI scan of the support pages', () => {
  it('would find a leak: the scan sees a name, an MRN and a birth date, and the store holds them', async () => {
    const p = FIXTURE_PATIENTS[0]!;
    expect(phiIn(`<p>${p.display}</p>`)).toContain(p.display);
    expect(phiIn(`mrn ${p.mrn}.`)).toContain(p.mrn);
    expect(phiIn(`born ${p.birthDate}`)).toContain(p.birthDate);
    const held = await store.held.list({ issuerId: 'sandbox', fhirUser: `Patient/${p.id}`, patientId: p.id });
    expect(phiIn(held[0]!.body)).toEqual(expect.arrayContaining([p.family, p.birthDate, p.mrn]));
  });

  it('no launch page, for support or an auditor, shows a seeded patient’s name, MRN or birth date, or a patient id', async () => {
    const findings = await unusualAccessNow(store);
    expect(findings.some((f) => f.rule === 'many-patients')).toBe(true);
    for (const id of launchIds) {
      const view = await buildLaunchView(id, { store, key, findings });
      expect(view).toBeDefined();
      const html = renderToStaticMarkup(<LaunchDetail view={view!} canAct canReveal done="ended" />);
      expect(html).toContain(view!.patientRef!);
      expect(phiIn(html)).toEqual([]);
      expect(html).not.toMatch(/pat-\d{3}|AT-|RT-/);
    }
  });

  it('no search result or list shows one either', async () => {
    const now = Date.now();
    const rows: string[] = [];
    for (const p of patients) {
      const byPatient = await findLaunches({ kind: 'patient', value: pseudonym('patient', 'sandbox', p.id, key) }, { support: store.support, key, now });
      expect(byPatient.launches).toHaveLength(2);
      rows.push(renderToStaticMarkup(<LaunchTable rows={byPatient.launches.map((l) => toLaunchRow(l, key))} empty="none" />));
    }
    const byReference = await findLaunches({ kind: 'error-reference', value: (0x10000001).toString(16) }, { support: store.support, key, now });
    expect(byReference.launches.length).toBeGreaterThan(0);
    rows.push(renderToStaticMarkup(<LaunchTable rows={byReference.launches.map((l) => toLaunchRow(l, key))} empty="none" />));
    const failed = await failedLaunchesByReason(store.support, now);
    const refused = await refusedRefreshesByIssuer(store.support, now);
    expect(refused[0]?.count).toBe(6);
    rows.push(renderToStaticMarkup(<><FailedLaunches groups={failed} /><RefusedRefreshes groups={refused} /><Findings findings={(await unusualAccessNow(store)).map((f) => toFindingView(f, key))} /></>));
    for (const html of rows) {
      expect(phiIn(html)).toEqual([]);
      expect(html).not.toMatch(/pat-\d{3}/);
    }
  });
});
