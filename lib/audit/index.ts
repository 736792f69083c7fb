export { toAuditEvent, type AuditInput, type AuditCategory, type AuditOutcome } from './audit-event';
export { recordAudit } from './record';
export { toAccessHistory, type AccessHistoryItem } from './access-history';
