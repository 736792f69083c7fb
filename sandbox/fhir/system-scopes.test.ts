/**
 * SMART Backend Services at the FHIR server: a client_credentials token acts through its
 * `system/` scopes only (each type it was granted, nothing else, 403 otherwise), across every
 * patient; a user's token never acts through a system scope. And the care-team panels (Group)
 * the backend client reads.
 */
import type { Bundle, Group, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PANELS, PANEL_IDENTIFIER_SYSTEM } from '../../fixtures/index';
import type { TestServer } from './testing';
import { entries, issueCode, startTestServer } from './testing';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const panel = FIXTURE_PANELS[0]!;

describe('system/ scopes (backend token)', () => {
  it('finds a practitioner\'s panel by identifier and by member, and reads across patients', async () => {
    const byId = await t.request<Bundle>(`/Group?identifier=${encodeURIComponent(`${PANEL_IDENTIFIER_SYSTEM}|${panel.practitionerId}`)}`, { token: 'backend' });
    expect(byId.status).toBe(200);
    const groups = entries(byId.body) as Group[];
    expect(groups.map((g) => g.id)).toEqual([panel.id]);
    const members = await t.request<Bundle>(`/Group?member=Patient/${panel.patientIds[1]}`, { token: 'backend' });
    expect((entries(members.body) as Group[]).map((g) => g.id)).toContain(panel.id);
    for (const id of panel.patientIds.slice(0, 2)) {
      const obs = await t.request<Bundle>(`/Observation?patient=${id}&_count=1`, { token: 'backend' });
      expect(obs.status).toBe(200);
      expect(entries(obs.body)).toHaveLength(1);
    }
  });

  it('refuses a type it was not granted with 403 forbidden', async () => {
    const res = await t.request(`/Condition?patient=${panel.patientIds[0]}`, { token: 'backend' });
    expect(res.status).toBe(403);
    expect(issueCode(res.body)).toBe('forbidden');
    expect((await t.request(`/Observation?patient=${panel.patientIds[0]}`, { token: 'backend', method: 'POST', body: {} })).status).toBe(403);
  });

  it('ignores user and patient scopes in a backend token', async () => {
    expect((await t.request('/Group/' + panel.id, { token: 'backendWithUserScopes' })).status).toBe(200);
    const res = await t.request('/Observation?patient=pat-001', { token: 'backendWithUserScopes' });
    expect(res.status).toBe(403);
  });

  it('never lets a user token act through a system scope', async () => {
    expect((await t.request('/Patient/pat-001', { token: 'clinicianWithSystemScope' })).status).toBe(200);
    expect((await t.request('/Observation?patient=pat-001', { token: 'clinicianWithSystemScope' })).status).toBe(403);
  });
});

describe('agePatientData knob', () => {
  const aged = panel.patientIds[0]!;
  const other = panel.patientIds[1]!;
  const newest = async (patient: string) => {
    const res = await t.request<Bundle>(`/Observation?patient=${patient}&_sort=-date&_count=1`, { token: 'backend' });
    return (entries(res.body)[0] as Observation).effectiveDateTime!;
  };

  it('serves the named patient\'s dates N days earlier, leaves others alone, and resets', async () => {
    const before = { aged: await newest(aged), other: await newest(other) };
    t.setKnobs({ agePatientData: { patients: [aged], days: 400 } });
    try {
      const after = { aged: await newest(aged), other: await newest(other) };
      expect(Date.parse(before.aged) - Date.parse(after.aged)).toBe(400 * 86_400_000);
      expect(after.other).toBe(before.other);
      const patient = await t.request<{ birthDate: string }>(`/Patient/${aged}`, { token: 'backend' });
      const group = await t.request<Group>(`/Group/${panel.id}`, { token: 'backend' });
      expect(patient.body.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(group.body.member?.[0]?.period?.start).toBeDefined();
      t.resetKnobs();
      expect(await newest(aged)).toBe(before.aged);
    } finally {
      t.resetKnobs();
    }
  });

  it('refuses a malformed knob as a whole', () => {
    expect(() => t.setKnobs({ agePatientData: { patients: [], days: 3 } })).toThrow();
    expect(() => t.setKnobs({ agePatientData: { patients: ['pat-001'], days: -1 } })).toThrow();
    expect(t.knobs.agePatientData).toBeNull();
  });
});
