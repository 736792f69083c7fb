import { describe, expect, it } from 'vitest';
import { parseSmartConfig } from './config';

const entry = (vendor: string, scopes: string[]) => JSON.stringify({
  issuers: [{
    id: 'x', name: 'X', vendor, enabled: false, fhirBaseUrl: 'https://x.test/fhir', clientId: '',
    clientAuth: { method: 'none' }, scopes: { clinician: scopes, patient: ['patient/Observation.rs'] },
  }],
});

describe('wildcard resource scopes', () => {
  it('are refused for oracle-health, which rejects them, with a message naming the field', () => {
    expect(() => parseSmartConfig(entry('oracle-health', ['user/*.rs']), 'smart-config.json'))
      .toThrow('smart-config.json: issuers[0].scopes: oracle-health does not grant wildcard scopes (patient/*.rs): name each resource type');
    expect(() => parseSmartConfig(entry('oracle-health', ['patient/*.cruds']), 'smart-config.json')).toThrow(/wildcard/);
  });

  it('are accepted for oracle-health when each type is named, and for vendors that grant them', () => {
    expect(parseSmartConfig(entry('oracle-health', ['user/Observation.rs']), 'test').issuers[0]!.scopes.clinician).toEqual(['user/Observation.rs']);
    expect(parseSmartConfig(entry('smart-health-it', ['patient/*.rs']), 'test').issuers[0]!.scopes.clinician).toEqual(['patient/*.rs']);
  });
});
