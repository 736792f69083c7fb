/**
 * The CapabilityStatement served at `/metadata`. It lists only what this server really does:
 * the interactions it routes, the search parameters the in-memory matcher can evaluate, the
 * `_include`/`_revinclude` values it resolves, history at every level, and SMART security
 * with the authorization server's endpoints.
 */
import { getSearchParameters } from '@medplum/core';
import type { CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceSearchParam } from '@medplum/fhirtypes';
import { COMMON_PARAMS, RESULT_PARAMS, matchableParam } from './search-params';

export interface OAuthUris {
  authorize: string;
  token: string;
  revoke?: string;
  introspect?: string;
  register?: string;
  manage?: string;
}

const TYPE_DOCS = 'http://hl7.org/fhir/ValueSet/search-param-type';

function searchParams(resourceType: string): CapabilityStatementRestResourceSearchParam[] {
  const params = getSearchParameters(resourceType) ?? {};
  const out: CapabilityStatementRestResourceSearchParam[] = [];
  for (const code of Object.keys(params).sort()) {
    const param = matchableParam(resourceType, code);
    if (!param?.type) continue;
    if (code.startsWith('_') && !(COMMON_PARAMS as readonly string[]).includes(code)) continue;
    out.push({
      name: code,
      type: param.type,
      ...(param.url ? { definition: param.url } : {}),
      ...(param.description ? { documentation: param.description.slice(0, 300) } : {}),
    });
  }
  return out;
}

function referenceParams(resourceType: string): { code: string; targets: string[] }[] {
  const params = getSearchParameters(resourceType) ?? {};
  return Object.entries(params)
    .filter(([, p]) => p.type === 'reference')
    .map(([code, p]) => ({ code, targets: (p.target ?? []) as string[] }));
}

function resource(resourceType: string, types: readonly string[]): CapabilityStatementRestResource {
  const include = referenceParams(resourceType).map((p) => `${resourceType}:${p.code}`).sort();
  const revinclude = types
    .flatMap((source) => referenceParams(source).filter((p) => p.targets.includes(resourceType)).map((p) => `${source}:${p.code}`))
    .sort();
  return {
    type: resourceType as CapabilityStatementRestResource['type'],
    interaction: ['read', 'vread', 'update', 'delete', 'history-instance', 'history-type', 'create', 'search-type'].map((code) => ({
      code: code as 'read',
    })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'not-supported',
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    searchInclude: include,
    searchRevInclude: revinclude,
    searchParam: searchParams(resourceType),
  };
}

export function buildCapabilityStatement(baseUrl: string, types: readonly string[], oauth: OAuthUris | undefined, date: string): CapabilityStatement {
  const uris = oauth
    ? Object.entries(oauth)
        .filter(([, v]) => typeof v === 'string')
        .map(([url, valueUri]) => ({ url, valueUri: valueUri as string }))
    : [];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    kind: 'instance',
    publisher: 'Housecall sandbox (development and test EHR, synthetic data only)',
    software: { name: 'Housecall sandbox FHIR server on @medplum/fhir-router 4.5.2' },
    implementation: { description: 'Housecall sandbox FHIR R4 server', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation: `Result parameters: ${RESULT_PARAMS.join(', ')}. Search parameter types evaluated: string, token, reference, date, uri (see ${TYPE_DOCS}).`,
        security: {
          cors: true,
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }],
              text: 'OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)',
            },
          ],
          ...(uris.length
            ? { extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: uris }] }
            : {}),
        },
        resource: types.map((t) => resource(t, types)),
        interaction: [{ code: 'history-system' }],
      },
    ],
  };
}
