import { describe, expect, it } from 'vitest';
import { authorizeFhirRequest } from '../authorize';
import type { ResourceGrant } from '../grants';
import { ProxyError } from '../outcome';
import { parseFhirRequest } from '../parse-request';
import { LIST_SECTIONS, resultHistoryRequest, summaryRequestPaths, UNCATEGORIZED_OBSERVATIONS_REQUEST } from './sections';

/** The chart's requests as the proxy sees them: each must pass parsing, and fail alone when its scope is missing. */
const TYPES = ['Practitioner', 'Patient', 'AllergyIntolerance', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Medication', 'Observation', 'Encounter', 'DocumentReference', 'CarePlan', 'Task', 'Immunization', 'Procedure'];
const grantsFor = (types: string[]): ResourceGrant[] => types.map((resourceType) => ({ context: 'patient', resourceType, permissions: new Set(['r', 's']) }));

function through(path: string, grants: ResourceGrant[]): string {
  const [resource, query = ''] = path.split('?') as [string, string?];
  try {
    authorizeFhirRequest(parseFhirRequest('GET', resource.split('/'), new URLSearchParams(query)), { patientId: 'pat-900', grants });
    return 'ok';
  } catch (e) {
    return e instanceof ProxyError ? e.code : String(e);
  }
}

describe('the chart asks only what the proxy allows', () => {
  const all = [...summaryRequestPaths('pat-900'), ...Object.values(LIST_SECTIONS).flatMap((s) => s.requests.map((r) => r.path)), resultHistoryRequest('http://loinc.org|2160-0'), UNCATEGORIZED_OBSERVATIONS_REQUEST, 'Practitioner/prac-001'];

  it('every summary, detail and history request passes with the clinician scopes', () => {
    expect(all.map((p) => [p, through(p, grantsFor(TYPES))]).filter(([, r]) => r !== 'ok')).toEqual([]);
  });

  it('the summary is seven requests, none of them dependent on another', () => {
    expect(summaryRequestPaths('pat-900')).toHaveLength(7);
  });

  it('a withheld scope refuses only its own request, so the rest of the chart renders', () => {
    const narrowed = grantsFor(TYPES.filter((t) => t !== 'MedicationStatement'));
    const refused = summaryRequestPaths('pat-900').filter((p) => through(p, narrowed) !== 'ok');
    expect(refused).toEqual(['MedicationStatement?_include=MedicationStatement:medication&_count=100']);
    expect(through(refused[0]!, narrowed)).toBe('scope-not-granted');
  });

  it('without Medication the prescriptions with _include are refused as not granted, not as an error', () => {
    expect(through(summaryRequestPaths('pat-900')[3]!, grantsFor(TYPES.filter((t) => t !== 'Medication')))).toBe('scope-not-granted');
  });
});
