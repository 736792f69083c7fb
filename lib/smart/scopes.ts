/**
 * SMART scopes (App Launch 2.x §3): building the request and reading what was granted.
 * Pure; used by the launch (what to ask for) and the proxy (what the grant allows).
 */
import type { Permission, ResourceGrant } from '../fhir/grants';

export type { Permission, ResourceGrant } from '../fhir/grants';
export type Workflow = 'clinician' | 'patient';

/**
 * `patient/Observation.rs` → `patient/Observation.read`, for servers without permission-v2
 * (App Launch 2.x §3.0.5, v1 scopes). v1 has only `read` and `write`, and `write` covers
 * create, update and delete alike: any of `c`, `u` or `d` becomes `.write`, so `.rus` or
 * `.crus` also asks for delete. That widening is unavoidable on a v1 server; it is never
 * silent (`v1Widened` names the scopes, and the launch logs them).
 */
export function toV1(scope: string): string[] {
  const m = /^(patient|user|system)\/([^.]+)\.([cruds]+)$/.exec(scope);
  if (!m) return [scope];
  const [, ctx, type, perms] = m as unknown as [string, string, string, string];
  const out: string[] = [];
  if (/[rs]/.test(perms)) out.push(`${ctx}/${type}.read`);
  if (/[cud]/.test(perms)) out.push(`${ctx}/${type}.write`);
  return out;
}

/**
 * The v2 resource scopes whose v1 form asks for more than they do: create or update without
 * delete, which v1 can only express as `.write` (create, update and delete).
 */
export function v1Widened(scopes: string[]): string[] {
  return scopes.filter((scope) => {
    const perms = /^(?:patient|user|system)\/[^.]+\.([cruds]+)$/.exec(scope)?.[1];
    return perms !== undefined && /[cu]/.test(perms) && !perms.includes('d');
  });
}

/** The scope string for an authorization request. */
export function requestedScopes(options: {
  workflow: Workflow;
  ehrLaunch: boolean;
  resourceScopes: string[];
  supportsV2: boolean;
  access: 'online' | 'offline';
}): string {
  const base = ['openid', 'fhirUser', options.ehrLaunch ? 'launch' : 'launch/patient', `${options.access}_access`];
  const resources = options.supportsV2 ? options.resourceScopes : options.resourceScopes.flatMap(toV1);
  return [...new Set([...base, ...resources])].join(' ');
}

/**
 * Parses granted resource scopes, v1 and v2 alike; other scopes are ignored. A v2 scope's query
 * (App Launch 2.x §3.0.2.3 "finer-grained resource constraints", e.g.
 * `patient/Observation.rs?category=laboratory`) is kept as the grant's restriction, never
 * dropped: the proxy lets such a grant reach only searches within it. A query that cannot be
 * read grants nothing.
 */
export function parseGrantedScopes(scope: string): ResourceGrant[] {
  const grants: ResourceGrant[] = [];
  for (const s of scope.split(/\s+/)) {
    const m = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(?:\?(.*))?$/.exec(s);
    if (!m) continue;
    const [, context, resourceType, action, query] = m as unknown as [string, ResourceGrant['context'], string, string, string | undefined];
    let permissions: Set<Permission>;
    if (action === 'read') permissions = new Set(['r', 's']);
    else if (action === 'write') permissions = new Set(['c', 'u', 'd']);
    else if (action === '*') permissions = new Set(['c', 'r', 'u', 'd', 's']);
    else if (/^c?r?u?d?s?$/.test(action)) permissions = new Set(action.split('') as Permission[]);
    else continue;
    if (query === undefined) {
      grants.push({ context, resourceType, permissions });
      continue;
    }
    const restriction = parseRestriction(query);
    if (restriction) grants.push({ context, resourceType, permissions, restriction });
  }
  return grants;
}

function parseRestriction(query: string): Record<string, string[]> | undefined {
  const restriction: Record<string, string[]> = {};
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    return undefined;
  }
  for (const [name, value] of params) {
    const values = value.split(',').filter(Boolean);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name) || values.length === 0 || name in restriction) return undefined;
    restriction[name] = values;
  }
  return Object.keys(restriction).length > 0 ? restriction : undefined;
}

/** Whether the granted scopes allow `permission` on every `resourceType` resource (a restricted v2 grant allows only part). */
export function allows(grants: ResourceGrant[], resourceType: string, permission: Permission): boolean {
  return grants.some((g) => (g.resourceType === '*' || g.resourceType === resourceType) && g.permissions.has(permission) && !g.restriction);
}

/** Whether the granted scopes allow `permission` on at least some `resourceType` resources. */
export function allowsSome(grants: ResourceGrant[], resourceType: string, permission: Permission): boolean {
  return grants.some((g) => (g.resourceType === '*' || g.resourceType === resourceType) && g.permissions.has(permission));
}
