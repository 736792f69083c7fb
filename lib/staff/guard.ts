import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { recordAudit } from '../audit';
import { getStore, type AuditStore } from '../store';
import { hasAnyRole, type StaffRole, type StaffSession } from './roles';
import { staffOutcomeResponse } from './outcomes';
import { readStaffSession } from './session';

export type { StaffRole, StaffSession } from './roles';

/** Where a signed-out staff member is sent; `next` brings them back after signing in. */
export const STAFF_SIGNIN_PATH = '/staff/signin';

/** Only paths of the console itself may be returned to after sign-in (no open redirect). */
export function safeStaffReturnPath(value: string | null | undefined): string {
  return value && /^\/staff(?:\/[A-Za-z0-9\-_/]*)?(?:\?[A-Za-z0-9\-_=&%.]*)?$/.test(value) && !value.startsWith(STAFF_SIGNIN_PATH) ? value : '/staff';
}

/**
 * For server components under /staff: the signed-in staff member holding one of `roles`.
 * Signed out (or an expired or forged cookie): redirect to the sign-in page. Signed in without
 * the role: the 403 page (`app/staff/forbidden.tsx`), with status 403. The check runs on every
 * page render, so a role removed at the identity provider ends at the next sign-in (sessions
 * last at most 8 hours).
 */
export async function requireStaffPage(roles: readonly StaffRole[], returnTo?: string): Promise<StaffSession> {
  const h = await headers();
  const session = await readStaffSession(h.get('cookie'));
  if (!session) redirect(`${STAFF_SIGNIN_PATH}?next=${encodeURIComponent(safeStaffReturnPath(returnTo))}`);
  if (!hasAnyRole(session, roles)) forbidden();
  return session;
}

/**
 * For route handlers under /staff/api: the signed-in staff member holding one of `roles`, or
 * the Response to return: 401 `staff-signed-out`, 403 `staff-role-missing` (OperationOutcome).
 */
export async function requireStaffApi(request: Request, roles: readonly StaffRole[]): Promise<StaffSession | Response> {
  const session = await readStaffSession(request.headers.get('cookie'));
  if (!session) return staffOutcomeResponse('staff-signed-out');
  if (!hasAnyRole(session, roles)) return staffOutcomeResponse('staff-role-missing');
  return session;
}

/** What a staff member did, for the audit trail: identifiers and their stated reason only. */
export interface StaffAction {
  /** A stable name: `staff-sign-in`, `staff-view-launch`, `staff-end-launch`, `staff-reveal-id`, … */
  action: string;
  outcome?: 'success' | 'denied' | 'failure';
  /** A stable outcome code, e.g. `support-ended`. */
  outcomeCode?: string;
  /** The launch it concerns: its issuer and patient key the event, so it is in that patient's history. */
  launch?: { id: string; issuerId: string; patientId: string | null };
  /** The reason the staff member gave; free text, must carry no clinical data. */
  reason?: string;
  /** What was looked up or revealed, as a query string of identifiers (never a name). */
  query?: string;
}

/** The issuer recorded on staff events that concern no launch. */
export const STAFF_AUDIT_ISSUER = 'housecall-staff';

/**
 * Appends an audit event naming the staff member (their identity provider id and name) and the
 * role they acted under. Awaited: an action that cannot be audited is not reported as done.
 */
export async function auditStaffAction(session: StaffSession, action: StaffAction, store?: AuditStore): Promise<string> {
  const audit = store ?? (await getStore()).audit;
  return recordAudit(audit, {
    category: 'staff',
    outcome: action.outcome ?? 'success',
    ...(action.outcomeCode ? { outcomeCode: action.outcomeCode } : {}),
    subtype: action.action,
    actor: { fhirUser: session.fhirUser ?? null, clientId: STAFF_AUDIT_ISSUER, issuerId: action.launch?.issuerId ?? STAFF_AUDIT_ISSUER, staff: { id: session.staffId, name: session.name, roles: session.roles } },
    patientId: action.launch?.patientId ?? null,
    launchId: action.launch?.id ?? null,
    ...(action.query ? { entity: { query: action.query } } : {}),
    ...(action.reason ? { reasonText: action.reason.slice(0, 500) } : {}),
  });
}
