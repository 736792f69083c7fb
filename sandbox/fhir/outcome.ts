/** OperationOutcome errors with a stable issue code and an HTTP status. */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueCode = OperationOutcomeIssue['code'];

export function operationOutcome(code: IssueCode, diagnostics: string, severity: OperationOutcomeIssue['severity'] = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome,
    readonly headers: Record<string, string> = {},
  ) {
    super(outcome.issue?.[0]?.diagnostics ?? `HTTP ${status}`);
  }

  static of(status: number, code: IssueCode, diagnostics: string, headers?: Record<string, string>): FhirError {
    return new FhirError(status, operationOutcome(code, diagnostics), headers);
  }
}

export const badRequest = (diagnostics: string): FhirError => FhirError.of(400, 'invalid', diagnostics);
export const notSupported = (diagnostics: string): FhirError => FhirError.of(400, 'not-supported', diagnostics);
export const forbidden = (diagnostics: string): FhirError => FhirError.of(403, 'forbidden', diagnostics);
export const notFound = (diagnostics = 'Resource not found'): FhirError => FhirError.of(404, 'not-found', diagnostics);
