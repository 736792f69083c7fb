export { toAuditEvent, type AuditInput, type AuditCategory, type AuditOutcome } from './audit-event';
export { recordAudit } from './record';
export { toAccessHistory, type AccessHistoryItem } from './access-history';
export { findUnusualAccess, lookbackMs, DEFAULT_UNUSUAL_ACCESS_POLICY, type UnusualAccess, type UnusualAccessRule, type UnusualAccessPolicy, type AccessRow, type EndedLaunchRow } from './unusual-access';
export { unusualAccessNow } from './alerts';
