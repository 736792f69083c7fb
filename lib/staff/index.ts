export { STAFF_ROLES, parseRolesClaim, hasAnyRole, type StaffRole, type StaffSession } from './roles';
export { STAFF_OUTCOMES, StaffError, staffOutcomeResponse, type StaffOutcomeCode } from './outcomes';
export { STAFF_COOKIE_PATH, STAFF_SESSION_COOKIE, STAFF_SESSION_MAX_AGE_S, readStaffSession, sealStaffSession, staffSessionSecret } from './session';
export { mayViewCareTeam } from './care-team-access';
export { CARE_TEAM_SORTS, parseCareTeamSort, sortCareTeamRows, toCareTeamRow, DASHBOARD_SOURCES, type CareTeamRow, type CareTeamSort, type Counted, type SourceAge, type DashboardSource } from './dashboard-compose';
export { loadCareTeam, openChartHref, type CareTeamView } from './dashboard';
export { panelMembers, type PanelMembers } from './panel-members';
export { requireStaffPage, requireStaffApi, auditStaffAction, safeStaffReturnPath, STAFF_SIGNIN_PATH, STAFF_AUDIT_ISSUER, type StaffAction } from './guard';
