export { STAFF_ROLES, parseRolesClaim, hasAnyRole, type StaffRole, type StaffSession } from './roles';
export { STAFF_OUTCOMES, StaffError, staffOutcomeResponse, type StaffOutcomeCode } from './outcomes';
export { STAFF_COOKIE_PATH, STAFF_SESSION_COOKIE, STAFF_SESSION_MAX_AGE_S, readStaffSession, sealStaffSession, staffSessionSecret } from './session';
export { requireStaffPage, requireStaffApi, auditStaffAction, safeStaffReturnPath, STAFF_SIGNIN_PATH, STAFF_AUDIT_ISSUER, type StaffAction } from './guard';
