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
    id: typeof resource.id === 'string' ? resource.id : '(no id)',
    versionId: typeof resource.meta?.versionId === 'string' ? resource.meta.versionId : null,
    lastUpdated: typeof resource.meta?.lastUpdated === 'string' ? resource.meta.lastUpdated : null,
    fetchedAt,
  };
}
