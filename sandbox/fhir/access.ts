/**
 * Authorization for one request: the token's scopes decide whether an interaction is
 * allowed at all (403 otherwise), and a decision confined to a patient or to v2 scope
 * restrictions decides which resources the caller may see (others answer 404, as if absent).
 */
import { matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { CONTEXT_TYPES, isSharedType, ownerParams, visibleToPatient, type ResolveResource } from './compartment';
import { forbidden } from './outcome';
import type { AccessDecision, Permission } from './scopes';
import { decide } from './scopes';
import type { Caller } from './state';

const ACTION: Record<Permission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

export function tryAuthorize(caller: Caller, resourceType: string, permission: Permission): AccessDecision | undefined {
  const decision = decide(caller.grants, resourceType, permission, caller.token.patient);
  if (!decision) return undefined;
  // A patient-confined token can only reach shared types, types with a patient owner, and
  // context types (Binary) by id.
  const byContext = CONTEXT_TYPES.has(resourceType) && permission === 'r';
  if (decision.patientId && !isSharedType(resourceType) && ownerParams(resourceType).length === 0 && !byContext) return undefined;
  return decision;
}

/** The decision for `permission` on `resourceType`, or a 403 FhirError. */
export function authorize(caller: Caller, resourceType: string, permission: Permission): AccessDecision {
  const decision = tryAuthorize(caller, resourceType, permission);
  if (!decision) throw forbidden(`The access token does not grant ${ACTION[permission]} on ${resourceType}`);
  return decision;
}

function matchesRestriction(resource: Resource, restriction: [string, string][]): boolean {
  const query = new URLSearchParams(restriction).toString();
  return matchesSearchRequest(resource, parseSearchRequest(`${resource.resourceType}?${query}`));
}

/**
 * Whether a resource lies inside what the decision allows (patient compartment and scope
 * restrictions). A context type (Binary) is judged by its securityContext, found with `resolve`;
 * without it, a patient token sees none.
 */
export function canSee(decision: AccessDecision, resource: Resource, resolve?: ResolveResource): boolean {
  if (decision.patientId && !visibleToPatient(resource, decision.patientId, resolve)) return false;
  if (decision.restrictions.length === 0) return true;
  return decision.restrictions.some((r) => matchesRestriction(resource, r));
}

/** Decisions per resource type for a caller and permission, computed once per request. */
export function decisionCache(caller: Caller, permission: Permission): (resourceType: string) => AccessDecision | undefined {
  const cache = new Map<string, AccessDecision | undefined>();
  return (resourceType) => {
    if (!cache.has(resourceType)) cache.set(resourceType, tryAuthorize(caller, resourceType, permission));
    return cache.get(resourceType);
  };
}
