export { logger, correlationId } from './logger';
export { metrics } from './metrics';
