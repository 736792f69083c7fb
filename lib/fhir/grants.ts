/** What a SMART grant allows, as lib/smart parses it; declared here so lib/fhir depends on no one. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';
export interface ResourceGrant {
  context: 'patient' | 'user' | 'system';
  resourceType: string;
  permissions: Set<Permission>;
}
