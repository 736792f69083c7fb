/**
 * SMART App Launch scope grammar (v1 `patient/Observation.read`, v2 `patient/Observation.rs`),
 * pure. The authorization server grants FHIR resource scopes that parse here and drops the rest,
 * as oidc-provider drops any scope it does not recognise.
 */

/** Scopes that are not FHIR resource scopes, handled as OIDC-style "static" scopes. */
export const CONTEXT_SCOPES = ['launch', 'launch/patient', 'online_access'] as const;
export const IDENTITY_SCOPES = ['openid', 'fhirUser', 'offline_access'] as const;

export interface ResourceScope {
  raw: string;
  context: 'patient' | 'user';
  resourceType: string;
  version: 1 | 2;
  /** v2 interactions (subset of `cruds`); v1 `read` → `rs`, `write` → `cud`, `*` → `cruds`. */
  interactions: string;
  /** v2 query restriction, e.g. `category=laboratory`. */
  query?: string;
}

const V1 = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*)$/;
const V2 = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(c?r?u?d?s?)(?:\?([^\s?]+))?$/;
const V1_MEANING: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };

/** Parses one SMART resource scope; `system/` scopes and malformed ones give null. */
export function parseResourceScope(raw: string): ResourceScope | null {
  const v1 = V1.exec(raw);
  if (v1) {
    const [, context, resourceType, access] = v1;
    return {
      raw,
      context: context as 'patient' | 'user',
      resourceType: resourceType!,
      version: 1,
      interactions: V1_MEANING[access!]!,
    };
  }
  const v2 = V2.exec(raw);
  if (v2 && v2[3]) {
    const [, context, resourceType, interactions, query] = v2;
    return {
      raw,
      context: context as 'patient' | 'user',
      resourceType: resourceType!,
      version: 2,
      interactions: interactions!,
      ...(query ? { query } : {}),
    };
  }
  return null;
}

export function splitScope(scope: unknown): string[] {
  return typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : [];
}

/**
 * The FHIR resource scopes to grant from a request: well-formed SMART scopes only, and `user/`
 * scopes only for a practitioner (a patient or related person has no user-level access to others' records).
 */
export function grantableResourceScopes(requested: string[], accountType?: 'Patient' | 'Practitioner' | 'RelatedPerson'): string[] {
  return requested.filter((scope) => {
    const parsed = parseResourceScope(scope);
    if (!parsed) return false;
    return !(parsed.context === 'user' && (accountType === 'Patient' || accountType === 'RelatedPerson'));
  });
}

/**
 * A v2 scope of `resourceType` without a query becomes one restricted to `category`
 * (`patient/Observation.rs` → `patient/Observation.rs?category=laboratory`); others are kept.
 */
export function narrowToCategory(scope: string, narrowing: { resourceType: string; category: string }): string {
  const parsed = parseResourceScope(scope);
  if (!parsed || parsed.version !== 2 || parsed.query || parsed.resourceType !== narrowing.resourceType) return scope;
  return `${scope}?category=${encodeURIComponent(narrowing.category)}`;
}

const VERBS: Record<string, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };

/** A plain-language line for the consent screen. */
export function describeScope(scope: string): string {
  switch (scope) {
    case 'openid':
      return 'Confirm who you are';
    case 'fhirUser':
      return 'Know your user record (patient or practitioner)';
    case 'offline_access':
      return 'Keep access after you close the app, until you revoke it';
    case 'online_access':
      return 'Keep access while you are signed in';
    case 'launch':
      return 'Know which patient and encounter are open in the EHR';
    case 'launch/patient':
      return 'Know which patient you chose';
  }
  const parsed = parseResourceScope(scope);
  if (!parsed) return 'Not recognised; will not be granted';
  const verbs = [...parsed.interactions].map((c) => VERBS[c]).filter(Boolean).join(', ');
  const what = parsed.resourceType === '*' ? 'all record types' : `${parsed.resourceType} records`;
  const whose = parsed.context === 'patient' ? 'for the selected patient' : 'that you can access';
  const filter = parsed.query ? ` (only ${parsed.query})` : '';
  return `${verbs[0]!.toUpperCase()}${verbs.slice(1)} ${what} ${whose}${filter}`;
}
