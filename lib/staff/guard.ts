import 'server-only';
import { forbidden } from 'next/navigation';

/**
 * PLACEHOLDER, to be replaced by branch h-staff's guard (staff sign-in with next-auth against the
 * sandbox IdP). It has the same interface so the care-team dashboard compiles; it signs no one
 * in: outside production, HOUSECALL_STAFF_PLACEHOLDER_SESSION (JSON of a StaffSession) stands
 * for the signed-in staff member, and without it every page is 403 and every API call 401.
 * On merge, take h-staff's file.
 */
export type StaffRole = 'support' | 'clinical-lead' | 'auditor';
export interface StaffSession { staffId: string; name: string; roles: StaffRole[]; fhirUser?: string }

function placeholderSession(): StaffSession | null {
  const raw = process.env.HOUSECALL_STAFF_PLACEHOLDER_SESSION;
  if (!raw || process.env.HOUSECALL_ENV === 'production') return null;
  try {
    return JSON.parse(raw) as StaffSession;
  } catch {
    return null;
  }
}

export async function requireStaffPage(roles: readonly StaffRole[]): Promise<StaffSession> {
  const session = placeholderSession();
  if (!session || !session.roles.some((r) => roles.includes(r))) forbidden();
  return session;
}

export async function requireStaffApi(_request: Request, roles: readonly StaffRole[]): Promise<StaffSession | Response> {
  const session = placeholderSession();
  const outcome = (status: number, code: string) => Response.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'security', details: { text: code } }] }, { status });
  if (!session) return outcome(401, 'staff-signed-out');
  if (!session.roles.some((r) => roles.includes(r))) return outcome(403, 'staff-role-missing');
  return session;
}
