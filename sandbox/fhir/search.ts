/**
 * Type-level search (GET and POST _search): checked parameters, the patient compartment and
 * v2 scope restrictions forced into the query, the router's search, then paging links,
 * includes and `_elements`/`_summary` shaping.
 */
import { splitSearchOnComma } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { authorize, canSee, decisionCache } from './access';
import { searchBundle, subset } from './bundle';
import { isSharedType, ownerParams, patientNamingParams } from './compartment';
import { resolveIncludes } from './include';
import { forbidden } from './outcome';
import type { AccessDecision } from './scopes';
import type { SearchContext } from './search-params';
import { parseSearch, searchQuery } from './search-params';
import type { FhirCall, Reply, ServerState } from './state';
import { callRouter } from './state';

export function searchContext(state: ServerState): SearchContext {
  return {
    baseUrl: state.baseUrl,
    isSupportedType: (t) => state.supportedTypes.has(t),
    resolveBareId: (targets, id) => {
      const existing = targets.filter((t) => state.log.exists(t, id));
      if (existing.length) return existing.map((t) => `${t}/${id}`);
      const fallback = targets.includes('Patient') ? 'Patient' : (targets[0] ?? 'Patient');
      return [`${fallback}/${id}`];
    },
  };
}

/**
 * Adds what the decision requires to a search: the token patient (rejecting a search that
 * names another patient with 403) and the scope's query restriction.
 */
export function constrainSearch(resourceType: string, filters: [string, string][], decision: AccessDecision): [string, string][] {
  const out = [...filters];
  const patientId = decision.patientId;
  if (patientId && !isSharedType(resourceType)) {
    const naming = patientNamingParams(resourceType);
    for (const [key, value] of filters) {
      const code = key.split(':')[0] ?? key;
      if (!naming.has(code)) continue;
      const values = splitSearchOnComma(value);
      const foreign =
        resourceType === 'Patient' && code === '_id'
          ? values.filter((v) => v !== patientId)
          : values.filter((v) => v.startsWith('Patient/') && v !== `Patient/${patientId}`);
      if (foreign.length) throw forbidden(`This access token is limited to the patient in context; '${key}' names another patient`);
    }
    const owner = ownerParams(resourceType)[0] ?? 'patient';
    out.push([owner, resourceType === 'Patient' ? patientId : `Patient/${patientId}`]);
  }
  const [first, ...others] = decision.restrictions;
  if (first && others.length === 0) out.push(...first);
  else if (first) {
    const single = decision.restrictions.every((r) => r.length === 1 && r[0]?.[0] === first[0]?.[0]);
    if (!single || !first[0]) throw forbidden('The scope restrictions of this token cannot be combined into one search');
    out.push([first[0][0], decision.restrictions.map((r) => r[0]?.[1] ?? '').join(',')]);
  }
  return out;
}

export async function search(state: ServerState, call: FhirCall, resourceType: string, entries: [string, string][]): Promise<Reply> {
  const decision = authorize(call.caller, resourceType, 's');
  const parsed = parseSearch(resourceType, entries, searchContext(state));
  const filters = constrainSearch(resourceType, parsed.filters, decision);
  const routerQuery: [string, string][] = [...filters, ['_count', String(parsed.count)], ['_offset', String(parsed.offset)]];
  if (parsed.sort) routerQuery.push(['_sort', parsed.sort]);
  const { resource } = await callRouter(state, 'GET', `${resourceType}?${new URLSearchParams(routerQuery).toString()}`);
  const result = resource as Bundle | undefined;
  const matches = (result?.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));

  const readable = decisionCache(call.caller, 'r');
  const visible = (r: Resource): boolean => {
    const d = readable(r.resourceType);
    return d !== undefined && canSee(d, r);
  };
  const included = await resolveIncludes(state, matches, parsed.include, parsed.revinclude, visible);
  const shape = (r: Resource): Resource => subset(r, parsed.elements, parsed.summary);
  const page = {
    baseUrl: state.baseUrl,
    path: resourceType,
    query: searchQuery(parsed),
    offset: parsed.offset,
    count: parsed.count,
    total: result?.total ?? matches.length,
  };
  return { status: 200, body: searchBundle(page, matches.map(shape), included.map(shape), parsed.total !== 'none') };
}
