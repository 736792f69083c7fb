/**
 * The proxy's stable outcome codes and how to read one from an OperationOutcome, without
 * outcome.ts's statuses and wording: the browser reads codes on every view and needs no more.
 * outcome.ts checks at compile time that its table has exactly these codes.
 */
export const OUTCOME_CODES = [
  'invalid-path',
  'unknown-resource-type',
  'invalid-id',
  'invalid-parameter',
  'invalid-body',
  'body-too-large',
  'attachment-too-large',
  'attachment-type-not-allowed',
  'recipient-not-allowed',
  'batch-not-supported',
  'method-not-allowed',
  'not-authenticated',
  'launch-ended',
  'launch-withdrawn',
  'hold-refused',
  'patient-only',
  'scope-not-granted',
  'consent-denied',
  'break-glass-refused',
  'break-glass-not-privileged',
  'security-label-change',
  'count-unavailable',
  'outside-compartment',
  'not-found',
  'unknown-person',
  'preview-mismatch',
  'consent-unavailable',
  'upstream-timeout',
  'upstream-error',
  'response-too-large',
  'internal-error',
] as const;

export type OutcomeCode = (typeof OUTCOME_CODES)[number];
export const OUTCOME_SYSTEM = 'urn:housecall:outcome';

const KNOWN: ReadonlySet<string> = new Set(OUTCOME_CODES);

/** The Housecall code inside an OperationOutcome, if it carries one. */
export function outcomeCode(resource: unknown): OutcomeCode | undefined {
  const issue = (resource as { issue?: { details?: { coding?: { system?: string; code?: string }[] } }[] } | undefined)?.issue?.[0];
  const code = issue?.details?.coding?.find((c) => c.system === OUTCOME_SYSTEM)?.code;
  return code && KNOWN.has(code) ? (code as OutcomeCode) : undefined;
}
