import type { OperationOutcome } from '@medplum/fhirtypes';
import { OUTCOME_SYSTEM, type OutcomeCode } from './outcome-code';

/** Stable codes for everything the proxy refuses or fails at; status and wording follow from the code. */
export const OUTCOMES = {
  'invalid-path': { status: 400, issue: 'invalid', text: 'The request path is not a FHIR interaction Housecall supports.' },
  'unknown-resource-type': { status: 400, issue: 'not-supported', text: 'This resource type is not available through Housecall.' },
  'invalid-id': { status: 400, issue: 'invalid', text: 'The resource id is not valid FHIR id syntax.' },
  'invalid-parameter': { status: 400, issue: 'invalid', text: 'A search parameter is not allowed.' },
  'invalid-body': { status: 400, issue: 'invalid', text: 'The request body is not a FHIR resource of the expected type.' },
  'body-too-large': { status: 413, issue: 'too-costly', text: 'The request body is larger than Housecall accepts.' },
  // Message attachments (lib/fhir/compose/attachments.ts): what may be sent, checked by type, content and size.
  'attachment-too-large': { status: 413, issue: 'too-costly', text: 'Attachments may be up to 5 MB in all, at most 3 files. Send a smaller photo or PDF.' },
  'attachment-type-not-allowed': { status: 415, issue: 'not-supported', text: 'Only photos (PNG, JPEG, GIF, WebP) and PDF documents, sent inline, can be attached, and the content must be what its type says.' },
  // A message to someone the patient's consents keep from their record.
  'recipient-not-allowed': { status: 403, issue: 'forbidden', text: 'The patient’s sharing choices do not allow messages to this person.' },
  'batch-not-supported': { status: 400, issue: 'not-supported', text: 'Batch and transaction Bundles are not accepted; send each request on its own.' },
  'method-not-allowed': { status: 405, issue: 'not-supported', text: 'This HTTP method is not supported here.' },
  'not-authenticated': { status: 401, issue: 'login', text: 'This browser is not signed in to this launch. Relaunch Housecall from your EHR or portal.' },
  'launch-ended': { status: 401, issue: 'expired', text: 'Your session ended. Relaunch Housecall from your EHR or portal.' },
  // Ended by the server, the EHR or support rather than by the person's own sign-out: the client must erase its copy (issue 5).
  'launch-withdrawn': { status: 401, issue: 'expired', text: 'Access through this launch was ended by your EHR or by support; Housecall erases its copy on this device. Relaunch Housecall from your EHR or portal.' },
  // Unsent changes may be kept only for a launch that lapsed (refresh refused, access expired) within the hour.
  'hold-refused': { status: 403, issue: 'forbidden', text: 'Housecall cannot keep unsent changes for this launch: it was ended on purpose, is still running, or ended over an hour ago.' },
  // Consents, share links, access history, contact details and the like belong to the patient acting for themselves (issue 10).
  'patient-only': { status: 403, issue: 'forbidden', text: 'Only the patient, signed in as themselves, can do this.' },
  'scope-not-granted': { status: 403, issue: 'forbidden', text: 'This data was not shared with Housecall when it was launched.' },
  'consent-denied': { status: 403, issue: 'forbidden', text: 'The patient’s sharing choices do not allow this.' },
  'break-glass-refused': { status: 403, issue: 'forbidden', text: 'Emergency access is not available for this launch.' },
  // Break-glass is a privilege the deployment grants per user (smart-config.json breakGlass.allowedUsers).
  'break-glass-not-privileged': { status: 403, issue: 'forbidden', text: 'Your account is not allowed to use emergency access. Ask your organisation’s privacy office if you need it.' },
  // Labels are the EHR's to set (its labeler or a privacy officer), never a client's.
  'security-label-change': { status: 403, issue: 'forbidden', text: 'Security labels are set by the EHR, not by Housecall: send the resource with the labels it already has.' },
  // A count under a restriction that needs per-resource judgement is recounted by fetching; past the cap it is refused.
  'count-unavailable': { status: 422, issue: 'too-costly', text: 'This count cannot be given under the patient’s sharing choices; search without a count instead.' },
  'outside-compartment': { status: 403, issue: 'forbidden', text: 'This launch can only reach its own patient’s record.' },
  'not-found': { status: 404, issue: 'not-found', text: 'The resource was not found.' },
  // A consent names a person the patient chose from their care people; the server checks the choice itself (issue 14).
  'unknown-person': { status: 422, issue: 'not-found', text: 'The person chosen is not one of the people who care for you at this clinic. Choose someone from the list.' },
  'preview-mismatch': { status: 422, issue: 'business-rule', text: 'The words you confirmed do not name the person chosen, so nothing was recorded. Review your choice again.' },
  // The consent store could not be read: nothing is asked of the EHR or released (fails closed).
  'consent-unavailable': { status: 502, issue: 'transient', text: 'Housecall could not check the patient’s sharing choices, so nothing was shown or changed. Try again in a moment.' },
  'upstream-timeout': { status: 504, issue: 'timeout', text: 'The EHR did not answer in time. Try again.' },
  'upstream-error': { status: 502, issue: 'exception', text: 'The EHR returned an error.' },
  'response-too-large': { status: 502, issue: 'too-costly', text: 'The EHR response was larger than Housecall accepts.' },
  // Housecall's server failed around the proxy (lib/server/fhir-direct.ts), not the EHR or a check.
  'internal-error': { status: 500, issue: 'exception', text: 'Housecall could not answer this request. Try again in a moment.' },
} as const;

export { OUTCOME_SYSTEM, outcomeCode, type OutcomeCode } from './outcome-code';

// The table and the browser's list of codes (outcome-code.ts) name the same codes.
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const SAME_CODES: SameKeys<keyof typeof OUTCOMES, OutcomeCode> = true;
void SAME_CODES;

export class ProxyError extends Error {
  constructor(readonly code: OutcomeCode, readonly diagnostics?: string) {
    super(code);
    this.name = 'ProxyError';
  }
  get status(): number {
    return OUTCOMES[this.code].status;
  }
}

export function operationOutcome(code: OutcomeCode, diagnostics?: string): OperationOutcome {
  const o = OUTCOMES[code];
  return {
    resourceType: 'OperationOutcome',
    issue: [{
      severity: 'error',
      code: o.issue,
      details: { coding: [{ system: OUTCOME_SYSTEM, code }], text: o.text },
      ...(diagnostics ? { diagnostics } : {}),
    }],
  };
}
