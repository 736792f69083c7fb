import type { Resource } from '@medplum/fhirtypes';
import { obj, str } from './datatypes';

/**
 * Where a displayed value came from and how old it is: the source system (the issuer's
 * name), the resource it was read from, its version and last update as the source reported
 * them (null when the EHR omits `meta`, as Epic often does), and when Housecall fetched it.
 */
export interface Provenance {
  source: string;
  resourceType: string;
  id: string;
  versionId: string | null;
  lastUpdated: string | null;
  fetchedAt: string;
}

export function provenanceOf(resource: Resource, source: string, fetchedAt: string): Provenance {
  const meta = obj(obj(resource)?.meta);
  return {
    source,
    resourceType: str(resource?.resourceType) ?? 'Resource',
    id: str(resource?.id) ?? '(no id)',
    versionId: str(meta?.versionId) ?? null,
    lastUpdated: str(meta?.lastUpdated) ?? null,
    fetchedAt,
  };
}
