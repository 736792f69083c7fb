export { logger, correlationId } from './logger';
