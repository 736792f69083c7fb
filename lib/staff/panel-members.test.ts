import type { Bundle, Group } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, FIXTURE_PANELS } from '../../fixtures/index';
import { buildPanel } from '../../fixtures/panel';
import { panelMembers } from './panel-members';

const now = new Date(FIXTURE_NOW);
const bundle = (...groups: Group[]): Bundle => ({ resourceType: 'Bundle', type: 'searchset', entry: groups.map((resource) => ({ resource, search: { mode: 'match' } })) });

describe('panelMembers', () => {
  it('lists the current members of the sandbox panel once each and counts what it left out', () => {
    const facts = FIXTURE_PANELS[0]!;
    const result = panelMembers(bundle(buildPanel(facts)), now);
    expect(result.patientIds).toEqual(facts.patientIds);
    expect(result.skipped).toBe(facts.skippedMembers);
    expect(result.panels).toBe(1);
  });

  it('reads absolute and versioned references, and skips members not yet started', () => {
    const group: Group = {
      resourceType: 'Group', type: 'person', actual: true,
      member: [
        { entity: { reference: 'https://ehr.example/fhir/Patient/p-1/_history/3' } },
        { entity: { reference: 'Patient/p-2' }, period: { start: '2099-01-01' } },
        { entity: { reference: 'Practitioner/x' } },
        { entity: { display: 'someone' } },
      ],
    };
    expect(panelMembers(bundle(group), now)).toEqual({ patientIds: ['p-1'], skipped: 3, panels: 1 });
  });

  it('takes nothing from an inactive or descriptive group, and nothing from no answer', () => {
    const inactive = { ...buildPanel(FIXTURE_PANELS[0]!), active: false };
    const descriptive = { ...buildPanel(FIXTURE_PANELS[1]!), actual: false };
    expect(panelMembers(bundle(inactive, descriptive), now)).toEqual({ patientIds: [], skipped: 0, panels: 0 });
    expect(panelMembers(undefined, now)).toEqual({ patientIds: [], skipped: 0, panels: 0 });
  });
});
