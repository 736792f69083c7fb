/**
 * SMART on FHIR resource scopes, v1 (`patient/Observation.read`, `user/*.write`, `*.*`) and
 * v2 (`patient/Observation.rs`, `user/*.cruds`, `patient/Observation.rs?category=laboratory`).
 *
 * v1 `read` grants r+s, `write` grants c+u+d, `*` grants all five. A decision says whether a
 * request is allowed and, when it is allowed only through `patient/` scopes, which patient's
 * compartment it is confined to. v2 query restrictions (`?category=...`) are honoured: a
 * request allowed only through restricted scopes carries the restrictions with it.
 */

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';
export type ScopeContext = 'patient' | 'user' | 'system';

export interface ScopeGrant {
  context: ScopeContext;
  /** A resource type, or `*`. */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
  /** v2 query restriction, e.g. [['category', 'laboratory']]; empty when unrestricted. */
  restriction: [string, string][];
}

export interface AccessDecision {
  /** Patient id the request is confined to, or undefined for clinician/system access. */
  patientId?: string;
  /** Alternatives (OR-ed); each is a list of AND-ed search parameters. Empty: unrestricted. */
  restrictions: [string, string][][];
}

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|[cruds]+)(\?.+)?$/;
const V2_ORDER = /^c?r?u?d?s?$/;

/** Parses the resource scopes out of a space-separated scope string; other scopes are ignored. */
export function parseScopes(scope: string): ScopeGrant[] {
  const grants: ScopeGrant[] = [];
  for (const token of scope.split(/\s+/).filter(Boolean)) {
    const m = SCOPE.exec(token);
    if (!m) continue;
    const [, context, resourceType, perms, query] = m;
    if (!context || !resourceType || !perms) continue;
    let permissions: Permission[];
    if (perms === 'read') permissions = ['r', 's'];
    else if (perms === 'write') permissions = ['c', 'u', 'd'];
    else if (perms === '*') permissions = ['c', 'r', 'u', 'd', 's'];
    else if (V2_ORDER.test(perms)) permissions = [...perms] as Permission[];
    else continue; // e.g. `.sr` is not a valid v2 scope
    const restriction = query ? [...new URLSearchParams(query.slice(1)).entries()] : [];
    grants.push({ context: context as ScopeContext, resourceType, permissions: new Set(permissions), restriction });
  }
  return grants;
}

/**
 * Decides whether the grants allow `permission` on `resourceType`. Precedence: an unrestricted
 * user/system grant, then an unrestricted patient grant, then restricted grants of the same
 * order. Returns undefined when nothing grants it. `patient/` grants need a token patient.
 */
export function decide(grants: readonly ScopeGrant[], resourceType: string, permission: Permission, tokenPatient?: string): AccessDecision | undefined {
  const matching = grants.filter((g) => (g.resourceType === '*' || g.resourceType === resourceType) && g.permissions.has(permission));
  const broad = matching.filter((g) => g.context !== 'patient');
  const patient = tokenPatient ? matching.filter((g) => g.context === 'patient') : [];
  if (broad.some((g) => g.restriction.length === 0)) return { restrictions: [] };
  if (patient.some((g) => g.restriction.length === 0)) return { patientId: tokenPatient, restrictions: [] };
  if (broad.length) return { restrictions: broad.map((g) => g.restriction) };
  if (patient.length) return { patientId: tokenPatient, restrictions: patient.map((g) => g.restriction) };
  return undefined;
}

/** The permission a FHIR interaction needs. */
export function permissionFor(interaction: 'read' | 'vread' | 'history-instance' | 'search' | 'history-type' | 'create' | 'update' | 'delete'): Permission {
  switch (interaction) {
    case 'read':
    case 'vread':
    case 'history-instance':
      return 'r';
    case 'search':
    case 'history-type':
      return 's';
    case 'create':
      return 'c';
    case 'update':
      return 'u';
    case 'delete':
      return 'd';
  }
}
