/**
 * Staff roles, read from the staff identity provider's `roles` claim. Pure: both the sign-in
 * (lib/staff/auth.ts) and the guard use it, and so do tests.
 *
 * - `support`: finds launches, sees their sync state, ends them and releases or discards held changes;
 * - `auditor`: sees audit trails and unusual-access findings, and may reveal the real user and
 *   patient ids behind pseudonymous references (each reveal audited);
 * - `clinical-lead`: the care-team dashboard.
 */
export const STAFF_ROLES = ['support', 'clinical-lead', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffSession {
  /** The identity provider's `sub` for this staff member. */
  staffId: string;
  name: string;
  roles: StaffRole[];
  /** `Practitioner/{id}` when the staff member is also a clinician (clinical leads). */
  fhirUser?: string;
}

/**
 * The known roles in a `roles` claim (an array of strings, or one space-separated string as some
 * identity providers send). Unknown values are dropped, never widened: a typo grants nothing.
 */
export function parseRolesClaim(claim: unknown): StaffRole[] {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/\s+/) : [];
  const known = new Set<string>(STAFF_ROLES);
  return [...new Set(values.filter((v): v is StaffRole => typeof v === 'string' && known.has(v)))];
}

/** Whether the session holds at least one of `roles` (an empty list admits any signed-in staff member). */
export function hasAnyRole(session: Pick<StaffSession, 'roles'>, roles: readonly StaffRole[]): boolean {
  return roles.length === 0 || roles.some((r) => session.roles.includes(r));
}
