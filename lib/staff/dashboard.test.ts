/**
 * loadCareTeam end to end over the seed (a scripted backend client answers from the fixtures, as
 * the sandbox would): the panel's patients, one audit event each, consent judged for the staff
 * member's practitioner (withheld marked, not dropped), not-granted and failed sources marked.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, FIXTURE_NOW, FIXTURE_PANELS, FIXTURE_PATIENTS } from '../../fixtures/index';
import { BackendError, type BackendClient } from '../backend';
import { restrictActor, restrictAll } from '../consent';
import { smartConfigSchema } from '../smart/config-schema';
import { openSqliteStore, StoreKey, type Store } from '../store';
import { loadCareTeam, openChartHref } from './dashboard';

const seed = buildSeed();
const panel = FIXTURE_PANELS[0]!;
const NOW = new Date(Date.parse(FIXTURE_NOW) + 5 * 86_400_000);
const config = smartConfigSchema.parse({
  issuers: [{
    id: 'sandbox', name: 'Sandbox EHR', vendor: 'sandbox', enabled: true, fhirBaseUrl: 'https://ehr.example/fhir', clientId: 'housecall',
    clientAuth: { method: 'none' }, scopes: { clinician: ['patient/Patient.rs'], patient: ['patient/Patient.rs'] },
    backend: { clientId: 'housecall-backend', keyEnv: 'UNUSED_KEY', alg: 'ES384', kid: 'k', scopes: ['system/Group.rs'] },
  }],
  careTeam: { issuerId: 'sandbox', staleAfterDays: 365, recentDays: 90, openChartUrl: 'https://ehr.example/ehr?practitioner={practitioner}&patient={patient}' },
});
const all: Resource[] = [...seed.shared, ...seed.patients.flatMap((p) => [p.patient, ...p.resources])];
const searchset = (resources: Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) });

function fixtureClient(options: { granted?: string[]; failing?: string[] } = {}): BackendClient & { paths: string[] } {
  const paths: string[] = [];
  const granted = options.granted ?? ['system/Group.rs', 'system/Patient.rs', 'system/Observation.rs', 'system/Task.rs', 'system/DocumentReference.rs', 'system/Communication.rs', 'system/Encounter.rs'];
  return {
    issuerId: 'sandbox', paths,
    grantedScopes: () => granted,
    accessToken: async () => 'token',
    async read<T extends Resource>(path: string): Promise<T> {
      paths.push(path);
      const [type = '', query = ''] = path.split('?');
      if (options.failing?.includes(type)) throw new BackendError('backend_fhir_failed', { status: 503 });
      const params = new URLSearchParams(query);
      if (type === 'Group') return searchset(all.filter((r) => r.resourceType === 'Group' && (r as { managingEntity?: { reference?: string } }).managingEntity?.reference === params.get('managing-entity'))) as T;
      if (type === 'Patient') return searchset(all.filter((r) => r.resourceType === 'Patient' && params.get('_id')!.split(',').includes(r.id!))) as T;
      const chart = seed.patients.find((p) => p.patient.id === params.get('patient'));
      return searchset((chart?.resources ?? []).filter((r) => r.resourceType === type)) as T;
    },
  };
}

let store: Store;
beforeAll(async () => {
  store = await openSqliteStore(':memory:', StoreKey.ephemeral());
});
afterAll(() => store.close());

const lead = { staffId: 'staff-lead-1', name: 'Lead', roles: ['clinical-lead' as const], fhirUser: `Practitioner/${panel.practitionerId}` };

describe('loadCareTeam', () => {
  it('lists the panel\'s current patients by name and audits each one shown', async () => {
    const view = await loadCareTeam({ staff: lead, config, store, sort: 'name', now: NOW, client: fixtureClient() });
    if (view.state !== 'ok') throw new Error(view.state);
    expect(view.rows.map((r) => r.patientId).sort()).toEqual([...panel.patientIds].sort());
    const names = panel.patientIds.map((id) => FIXTURE_PATIENTS.find((p) => p.id === id)!.display).sort((a, b) => a.localeCompare(b));
    expect(view.rows.map((r) => r.name)).toEqual(names);
    expect(view.skippedMembers).toBe(panel.skippedMembers);
    expect(view.rows.every((r) => !r.staleness.stale)).toBe(true);
    for (const id of panel.patientIds) {
      const events = await store.audit.listForPatient({ issuerId: 'sandbox', patientId: id });
      expect(events.filter((e) => JSON.parse(e.body).subtype?.some?.((s: { code?: string }) => s.code === 'care-team-dashboard'))).toHaveLength(1);
    }
  });

  it('judges consent for the staff member\'s practitioner: a restriction withholds and is marked, the row stays', async () => {
    const [first, second] = panel.patientIds as [string, string];
    await store.consents.save({ ...restrictActor({ patientId: first, actor: lead.fhirUser }), id: 'c-restrict-lead' }, { issuerId: 'sandbox', patientId: first });
    const obsOnly = restrictAll({ patientId: second });
    obsOnly.provision = { ...obsOnly.provision, type: 'deny', class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'Observation' }] };
    await store.consents.save({ ...obsOnly, id: 'c-no-obs' }, { issuerId: 'sandbox', patientId: second });
    const client = fixtureClient();
    const view = await loadCareTeam({ staff: lead, config, store, sort: 'name', now: NOW, client });
    if (view.state !== 'ok') throw new Error(view.state);
    const restricted = view.rows.find((r) => r.patientId === first)!;
    expect(restricted).toMatchObject({ name: null, nameState: 'withheld' });
    expect(restricted.withheld).toEqual(['Observation', 'Encounter', 'DocumentReference', 'Task', 'Communication']);
    expect(restricted.staleness.stale).toBe(false);
    expect(client.paths.some((p) => p.includes(`patient=${first}`))).toBe(false);
    const noObs = view.rows.find((r) => r.patientId === second)!;
    expect(noObs.withheld).toEqual(['Observation']);
    expect(noObs.name).not.toBeNull();
    expect(noObs.consentChanges.count).toBe(1);
    expect(client.paths).not.toContain(`Observation?patient=${second}&category=laboratory,vital-signs&_sort=-date&_count=100`);
  });

  it('marks sources the token was not granted and sources that failed, and says when the EHR is unavailable', async () => {
    const narrow = await loadCareTeam({ staff: lead, config, store, sort: 'name', now: NOW, client: fixtureClient({ granted: ['system/Group.rs', 'system/Patient.rs', 'system/Observation.rs'], failing: ['Observation'] }) });
    if (narrow.state !== 'ok') throw new Error(narrow.state);
    const row = narrow.rows.find((r) => r.patientId === panel.patientIds[2])!;
    expect(row.staleness.sources.map((s) => s.state)).toEqual(['failed', 'not-granted', 'not-granted', 'not-granted', 'not-granted']);
    expect(row.unsignedNotes).toEqual({ state: 'not-granted' });
    expect(await loadCareTeam({ staff: lead, config, store, sort: 'name', now: NOW, client: fixtureClient({ failing: ['Group'] }) })).toEqual({ state: 'ehr-unavailable', code: 'backend_fhir_failed' });
  });

  it('needs a practitioner behind the staff account and a configured dashboard', async () => {
    expect(await loadCareTeam({ staff: { ...lead, fhirUser: undefined }, config, store, sort: 'name', client: fixtureClient() })).toEqual({ state: 'no-practitioner' });
    expect(await loadCareTeam({ staff: lead, config: { issuers: config.issuers }, store, sort: 'name', client: fixtureClient() })).toEqual({ state: 'not-configured' });
  });
});

describe('openChartHref', () => {
  it('fills the EHR address with URL-encoded ids', () => {
    expect(openChartHref(config.careTeam!.openChartUrl, 'Practitioner/prac-001', 'pat 1&x')).toBe('https://ehr.example/ehr?practitioner=prac-001&patient=pat%201%26x');
  });
});
