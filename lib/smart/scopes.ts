/**
 * SMART scopes (App Launch 2.x §3): building the request and reading what was granted.
 * Pure; used by the launch (what to ask for) and the proxy (what the grant allows).
 */
import type { Permission, ResourceGrant } from '../fhir/grants';

export type { Permission, ResourceGrant } from '../fhir/grants';
export type Workflow = 'clinician' | 'patient';

/** `patient/Observation.rs` → `patient/Observation.read`, for servers without permission-v2. */
export function toV1(scope: string): string[] {
  const m = /^(patient|user|system)\/([^.]+)\.([cruds]+)$/.exec(scope);
  if (!m) return [scope];
  const [, ctx, type, perms] = m as unknown as [string, string, string, string];
  const out: string[] = [];
  if (/[rs]/.test(perms)) out.push(`${ctx}/${type}.read`);
  if (/[cud]/.test(perms)) out.push(`${ctx}/${type}.write`);
  return out;
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

/** Parses granted resource scopes, v1 and v2 alike; other scopes are ignored. */
export function parseGrantedScopes(scope: string): ResourceGrant[] {
  const grants: ResourceGrant[] = [];
  for (const s of scope.split(/\s+/)) {
    const m = /^(patient|user|system)\/([A-Za-z]+|\*)\.([a-z*]+)(\?.*)?$/.exec(s);
    if (!m) continue;
    const [, context, resourceType, action] = m as unknown as [string, ResourceGrant['context'], string, string];
    let permissions: Set<Permission>;
    if (action === 'read') permissions = new Set(['r', 's']);
    else if (action === 'write') permissions = new Set(['c', 'u', 'd']);
    else if (action === '*') permissions = new Set(['c', 'r', 'u', 'd', 's']);
    else if (/^c?r?u?d?s?$/.test(action)) permissions = new Set(action.split('') as Permission[]);
    else continue;
    grants.push({ context, resourceType, permissions });
  }
  return grants;
}

/** Whether the granted scopes allow `permission` on `resourceType`. */
export function allows(grants: ResourceGrant[], resourceType: string, permission: Permission): boolean {
  return grants.some((g) => (g.resourceType === '*' || g.resourceType === resourceType) && g.permissions.has(permission));
}
