export { toAuditEvent, type AuditInput, type AuditCategory, type AuditOutcome } from './audit-event';
export { recordAudit } from './record';
export { toAccessHistory, type AccessHistoryItem } from './access-history';
export { findUnusualAccess, lookbackMs, DEFAULT_UNUSUAL_ACCESS_POLICY, type UnusualAccess, type UnusualAccessRule, type UnusualAccessPolicy, type AccessRow, type EndedLaunchRow } from './unusual-access';
export { unusualAccessNow } from './alerts';
export { toAccessVisits, stepWords, personInWords, listInWords, TYPE_WORDS, VISIT_GAP_MS, type AccessVisit, type AccessVisitStep, type KnownPerson } from './access-visits';
export { accessVisitsCsv, csvCell, safeTimeZone, localTime } from './access-csv';
