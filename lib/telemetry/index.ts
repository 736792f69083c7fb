export { logger, correlationId } from './logger';
export { metrics, recordClientMetrics, recordUnusualAccess, type ClientMetricsReport } from './metrics';
export { blockedKind, blockedSource, directiveLabel } from './csp-violation';
