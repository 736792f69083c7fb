import type { CapabilityStatement, CapabilityStatementRest, CapabilityStatementRestResource } from '@medplum/fhirtypes';

/**
 * What the browser's sync needs of the EHR's CapabilityStatement (FHIR R4 §3.1.0.3.1), and no
 * more: per resource type its interactions, versioning and search parameter names and types, so
 * lib/sync can choose `_history`, `_lastUpdated` or a full refetch per type. Security endpoints,
 * documentation, definitions and software details stay on the server (they are large, and the
 * browser has no use for them). Anything that is not a CapabilityStatement gives an empty one.
 */
export function syncCapabilities(body: unknown): CapabilityStatement {
  const source = body as Partial<CapabilityStatement> | null;
  const empty: CapabilityStatement = { resourceType: 'CapabilityStatement', status: 'active', date: source?.date ?? '1970-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'] };
  if (source?.resourceType !== 'CapabilityStatement') return empty;
  const rest: CapabilityStatementRest[] = (source.rest ?? [])
    .filter((r) => r.mode === 'server')
    .map((r) => ({
      mode: 'server',
      ...(r.searchParam ? { searchParam: r.searchParam.map((p) => ({ name: p.name, type: p.type })) } : {}),
      resource: (r.resource ?? []).map((res): CapabilityStatementRestResource => ({
        type: res.type,
        ...(res.versioning ? { versioning: res.versioning } : {}),
        interaction: (res.interaction ?? []).map((i) => ({ code: i.code })),
        searchParam: (res.searchParam ?? []).map((p) => ({ name: p.name, type: p.type })),
      })),
    }));
  return { ...empty, rest };
}
