import type { CapabilityStatement } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { chooseStrategy } from '@/lib/sync';
import { createFakeFhirServer } from '@/lib/sync/test-fhir-server';
import { loadCapability, syncTargets } from './sync-targets';

describe('syncTargets (issue 12: delta sync in the product)', () => {
  it('with an EHR that offers _lastUpdated, keeps the summary types by delta and the patient by read', async () => {
    const server = createFakeFhirServer();
    const capability = await loadCapability(server.transport);
    expect(capability?.resourceType).toBe('CapabilityStatement');
    const targets = syncTargets('pat-1', 'patient', capability);
    expect(targets.map((t) => [t.resourceType, chooseStrategy(capability, t)])).toEqual([
      ['Patient', 'full'],
      ['AllergyIntolerance', 'last-updated'],
      ['Condition', 'last-updated'],
      ['Observation', 'last-updated'],
      ['Observation', 'last-updated'],
    ]); // the fake EHR knows no MedicationRequest or MedicationStatement: left to read-through
    expect(targets[2]).toMatchObject({ params: { patient: 'pat-1' } });
    // Observations by category, one target each: an Observation search naming none is refused by Epic.
    expect(targets.filter((t) => t.resourceType === 'Observation').map((t) => [t.key, t.params])).toEqual([
      ['Observation?patient=pat-1&category=laboratory', { patient: 'pat-1', category: 'laboratory' }],
      ['Observation?patient=pat-1&category=vital-signs', { patient: 'pat-1', category: 'vital-signs' }],
    ]);
  });

  it('downloads only the types the grant lets be read, and nothing when it lets none', async () => {
    const capability = await loadCapability(createFakeFhirServer().transport);
    expect(syncTargets('pat-1', 'patient', capability, ['Patient', 'Condition']).map((t) => t.resourceType)).toEqual(['Patient', 'Condition']);
    expect(syncTargets('pat-1', 'patient', capability, [])).toEqual([]);
  });

  it('without a CapabilityStatement (offline, refused) downloads only the patient', async () => {
    const offline = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await loadCapability(offline)).toBeUndefined();
    expect(syncTargets('pat-1', 'patient', undefined).map((t) => t.resourceType)).toEqual(['Patient']);
    const versionlessFull: CapabilityStatement = (await createFakeFhirServer({ versionless: true, supports: { lastUpdated: false } }).transport({ method: 'GET', url: 'metadata' })).body as CapabilityStatement;
    expect(syncTargets('pat-1', 'patient', versionlessFull).map((t) => t.resourceType)).toEqual(['Patient']);
  });

  it('the chart downloads nothing', () => {
    expect(syncTargets('pat-1', 'none', undefined)).toEqual([]);
  });
});
