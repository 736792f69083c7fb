/** What a SMART grant allows, as lib/smart parses it; declared here so lib/fhir depends on no one. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';
export interface ResourceGrant {
  context: 'patient' | 'user' | 'system';
  resourceType: string;
  permissions: Set<Permission>;
  /**
   * A SMART v2 granular scope's restriction (`patient/Observation.rs?category=laboratory`):
   * search parameter name → the values allowed (an OR list). Absent: the whole type.
   */
  restriction?: Record<string, string[]>;
}
