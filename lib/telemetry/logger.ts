import pino, { type Logger } from 'pino';

/**
 * The one logger. Log identifiers and outcomes, never resource content, names, tokens or
 * query strings. Redaction is the safety net, not the plan.
 */
const REDACT = [
  'access_token', 'refresh_token', 'id_token', 'token', 'code', 'code_verifier', 'client_secret',
  'authorization', 'cookie', 'password', 'patientName', 'name', 'birthDate',
  '*.access_token', '*.refresh_token', '*.id_token', '*.token', '*.code', '*.authorization', '*.cookie',
  'req.headers.authorization', 'req.headers.cookie',
];

export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'housecall' },
  redact: { paths: REDACT, censor: '[redacted]' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** A short random id to correlate an error page with the server log. */
export function correlationId(): string {
  return crypto.randomUUID().slice(0, 8);
}
