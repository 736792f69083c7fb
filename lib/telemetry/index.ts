export { logger, correlationId } from './logger';
export { metrics, recordClientMetrics, type ClientMetricsReport } from './metrics';
