/**
 * The portal's parts and the scopes each needs (`scopes.portalParts` in smart-config.json).
 * Pure; used by the launch (what a patient launch asks for, and a part asking again) and by
 * each portal part (whether the EHR granted what it needs).
 *
 * SMART App Launch 2.x §3 lets the person or the EHR grant fewer scopes than were asked for,
 * and a v2 grant may be narrowed to part of a type (`patient/Observation.rs?category=vital-signs`).
 * A part whose scopes were not granted must say so, not show an empty list as if there were
 * nothing to see.
 */
import { PATIENT_TYPES } from '../fhir/compartment';
import type { IssuerConfig } from './config-schema';
import { allows, allowsSome, parseGrantedScopes, type Permission, type ResourceGrant } from './scopes';

/** The resource scopes a launch of `workflow` asks for: a patient's base plus every portal part's, once each. */
export function workflowScopes(issuer: IssuerConfig, workflow: 'clinician' | 'patient'): string[] {
  if (workflow === 'clinician') return issuer.scopes.clinician;
  return [...new Set([...issuer.scopes.patient, ...Object.values(issuer.scopes.portalParts).flat()])];
}

/**
 * Everything Housecall ever asks this issuer for, either workflow, as grants: the cap on what a
 * grant may be used for (lib/fhir/authorize.ts `asked`). A v1 server answers a `.cru` with
 * `.write`, which also means delete; Housecall never asked to delete, so it never does.
 */
export function askedGrants(issuer: IssuerConfig): ResourceGrant[] {
  return parseGrantedScopes([...workflowScopes(issuer, 'clinician'), ...workflowScopes(issuer, 'patient')].join(' '));
}

/** Whether `part` is a portal part this issuer defines (the only values a launch may return to). */
export function isPortalPart(issuer: IssuerConfig, part: string | null | undefined): part is string {
  return typeof part === 'string' && Object.hasOwn(issuer.scopes.portalParts, part);
}

export interface PartAccess {
  /** Every scope the part needs was granted (for `category`, a grant narrowed to that category counts). */
  shared: boolean;
  /** The part's scopes that were not granted, as configured. */
  missing: string[];
}

/**
 * Whether the granted `scope` string covers `part`. `category`: the part reads only that
 * category of its types (results read `category=laboratory`), so a grant narrowed to that
 * category is enough; a grant narrowed to another category is not.
 */
export function portalPartAccess(issuer: IssuerConfig, part: string, grantedScope: string, category?: string): PartAccess {
  const needed = issuer.scopes.portalParts[part] ?? [];
  const grants = parseGrantedScopes(grantedScope);
  const missing = needed.filter((scope) => {
    const m = /^(?:patient|user)\/([^.]+)\.([cruds]+)$/.exec(scope);
    if (!m) return true;
    const [, type, perms] = m as unknown as [string, string, string];
    return (perms.split('') as Permission[]).some((p) => {
      if (allows(grants, type, p)) return false;
      if (!category) return true;
      return !grants.some((g) => (g.resourceType === '*' || g.resourceType === type) && g.permissions.has(p) && (g.restriction?.category ?? []).some((c) => c === category || c.endsWith(`|${category}`)) && Object.keys(g.restriction ?? {}).length === 1);
    });
  });
  return { shared: missing.length === 0, missing };
}

/**
 * Whether the granted `scope` lets Housecall read anything of the patient's record: a read or a
 * search of at least one type in the patient's compartment (the Patient resource too), whole or
 * narrowed. A person who unticks every box on the EHR's consent screen (Epic's patient
 * authorization offers this) leaves none, and the launch then has nothing to show anywhere.
 */
export function sharesPatientRecord(grantedScope: string): boolean {
  const grants = parseGrantedScopes(grantedScope).filter((g) => g.context !== 'system');
  return ['*', ...Object.keys(PATIENT_TYPES)].some((type) => allowsSome(grants, type, 'r') || allowsSome(grants, type, 's'));
}

/**
 * Which of `types` the granted `scope` lets sync download whole: the Patient by a read, every
 * other type by a search over the patient, neither narrowed (a grant narrowed to a category
 * refuses the unnarrowed search sync sends). Types left out are never asked for.
 */
export function downloadableTypes(grantedScope: string, types: readonly string[]): string[] {
  const grants = parseGrantedScopes(grantedScope);
  return types.filter((type) => allows(grants, type, type === 'Patient' ? 'r' : 's'));
}
