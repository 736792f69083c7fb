export { toAuditEvent, type AuditInput, type AuditCategory, type AuditOutcome } from './audit-event';
export { recordAudit } from './record';
