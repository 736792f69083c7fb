import type { OperationOutcome } from '@medplum/fhirtypes';

/** Stable codes of the staff console's API answers; status and wording follow from the code. */
export const STAFF_OUTCOMES = {
  'staff-signed-out': { status: 401, issue: 'login', text: 'Sign in to the staff console first.' },
  'staff-role-missing': { status: 403, issue: 'forbidden', text: 'Your staff role does not allow this.' },
  'staff-invalid-request': { status: 400, issue: 'invalid', text: 'The request is not valid.' },
  'staff-confirmation-required': { status: 400, issue: 'business-rule', text: 'Confirm the action and give a reason.' },
  'staff-not-found': { status: 404, issue: 'not-found', text: 'No launch matches.' },
  'staff-not-configured': { status: 503, issue: 'transient', text: 'Staff sign-in is not configured on this deployment.' },
} as const;

export type StaffOutcomeCode = keyof typeof STAFF_OUTCOMES;
const SYSTEM = 'urn:housecall:outcome';

export class StaffError extends Error {
  constructor(readonly code: StaffOutcomeCode, readonly diagnostics?: string) {
    super(code);
    this.name = 'StaffError';
  }
}

/** An OperationOutcome response with the code's status; never cached. */
export function staffOutcomeResponse(code: StaffOutcomeCode, diagnostics?: string): Response {
  const o = STAFF_OUTCOMES[code];
  const body: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: o.issue, details: { coding: [{ system: SYSTEM, code }], text: o.text }, ...(diagnostics ? { diagnostics } : {}) }],
  };
  return new Response(JSON.stringify(body), { status: o.status, headers: { 'content-type': 'application/fhir+json', 'cache-control': 'no-store' } });
}
