import { describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { toMedicationList } from '@/lib/fhir';
import { sectionItems, sectionStatus } from './section-data';

const rx: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'MedicationRequest', id: 'r1', status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, medicationCodeableConcept: { text: 'Lisinopril' }, authoredOn: '2026-01-01' } }] };

describe('a section made of several requests', () => {
  const parts = [
    { label: 'Prescriptions', state: { data: rx, fetchedAt: '2026-11-28T10:00:00Z', isLoading: false }, build: toMedicationList },
    { label: 'Patient-reported medications', state: { isLoading: false, outcome: 'scope-not-granted' }, build: toMedicationList },
  ];

  it('shows what answered and names the part that did not', () => {
    expect(sectionItems(parts, 'Sandbox EHR')?.map((i) => [i.title, i.provenance.fetchedAt])).toEqual([['Lisinopril', '2026-11-28T10:00:00Z']]);
    expect(sectionStatus(parts)).toEqual({ isLoading: false, outcomes: [{ label: 'Patient-reported medications', outcome: 'scope-not-granted' }], fetchedAt: '2026-11-28T10:00:00Z', offline: false });
  });

  it('says it is offline when any part shows the device’s saved copy', () => {
    const saved = { ...parts[0]!, state: { ...parts[0]!.state, fromCache: true } };
    expect(sectionStatus([saved, parts[1]!]).offline).toBe(true);
    expect(sectionStatus([parts[0]!, { state: { isLoading: false, fromCache: true } }]).offline).toBe(false);
  });

  it('is loading while any part loads, and reports the least fresh part', () => {
    const status = sectionStatus([{ state: { isLoading: true } }, { state: { isLoading: false, fetchedAt: '2026-11-28T09:00:00Z' } }, { state: { isLoading: false, fetchedAt: '2026-11-28T10:00:00Z' } }]);
    expect(status).toMatchObject({ isLoading: true, fetchedAt: '2026-11-28T09:00:00Z' });
  });

  it('has no items until one part has answered', () => {
    expect(sectionItems([{ ...parts[1]! }], 'X')).toBeUndefined();
  });
});

describe('a list that is less than the whole', () => {
  const answer = (extra: Partial<Bundle>) => ({ isLoading: false, fetchedAt: '2026-11-01T09:00:00Z', data: { resourceType: 'Bundle', type: 'searchset', entry: [], ...extra } as Bundle });
  const outcome = (severity: string) => ({ resource: { resourceType: 'OperationOutcome', issue: [{ severity, code: 'suppressed' }] }, search: { mode: 'outcome' as const } }) as NonNullable<Bundle['entry']>[number];

  it('is withheld when the EHR says so in a warning or error outcome entry, whichever part carries it', () => {
    expect(sectionStatus([{ state: answer({ entry: [outcome('warning')] }) }]).partial).toBe('withheld');
    expect(sectionStatus([{ label: 'a', state: answer({}) }, { label: 'b', state: answer({ entry: [outcome('error')] }) }]).partial).toBe('withheld');
  });

  it('has more when the answer has a next page, and is whole otherwise', () => {
    expect(sectionStatus([{ state: answer({ link: [{ relation: 'next', url: '/api/l/L/fhir/Condition?page=2' }] }) }]).partial).toBe('more');
    expect(sectionStatus([{ state: answer({ entry: [outcome('information')], link: [{ relation: 'self', url: '/x' }] }) }]).partial).toBeUndefined();
  });
});
