import type { CapabilityStatement } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { syncCapabilities } from './capabilities';

describe('syncCapabilities', () => {
  it('keeps per type what sync chooses a strategy from, and drops security, documentation and software details', () => {
    const ehr: CapabilityStatement = {
      resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'],
      software: { name: 'EHR', version: '9' },
      rest: [{
        mode: 'server',
        security: { service: [{ text: 'SMART-on-FHIR' }], extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [{ url: 'token', valueUri: 'https://ehr.example/token' }] }] },
        resource: [{ type: 'Observation', versioning: 'versioned-update', interaction: [{ code: 'search-type', documentation: 'x' }, { code: 'history-type' }], searchParam: [{ name: '_lastUpdated', type: 'date', documentation: 'long text', definition: 'http://x' }] }],
      }],
    };
    expect(syncCapabilities(ehr)).toEqual({
      resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'],
      rest: [{ mode: 'server', resource: [{ type: 'Observation', versioning: 'versioned-update', interaction: [{ code: 'search-type' }, { code: 'history-type' }], searchParam: [{ name: '_lastUpdated', type: 'date' }] }] }],
    });
  });

  it('answers an empty statement for anything else', () => {
    expect(syncCapabilities({ resourceType: 'OperationOutcome' }).rest).toBeUndefined();
    expect(syncCapabilities(null).rest).toBeUndefined();
  });
});
