import type { Resource } from '@medplum/fhirtypes';

/** Where a displayed value came from and how old it is. */
export interface Provenance {
  source: string;
  resourceType: string;
  id: string;
  versionId: string | null;
  lastUpdated: string | null;
  fetchedAt: string;
}

export function provenanceOf(resource: Resource, source: string, fetchedAt: string): Provenance {
  return {
    source,
    resourceType: resource.resourceType,
    id: resource.id ?? '(no id)',
    versionId: resource.meta?.versionId ?? null,
    lastUpdated: resource.meta?.lastUpdated ?? null,
    fetchedAt,
  };
}
