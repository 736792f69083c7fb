/**
 * Launch and session errors. Each has a stable code; what a person sees and the HTTP status
 * follow from the code in one table, so a page never invents its own wording.
 */
export const LAUNCH_ERRORS = {
  missing_issuer: { status: 400, title: 'Housecall needs to be opened from your EHR or patient portal', advice: 'Go back to your EHR or portal and open Housecall from there.' },
  unknown_issuer: { status: 400, title: 'This health system is not connected to Housecall', advice: 'Open Housecall from an EHR or portal that your organisation has connected. If you think this is wrong, contact your support desk.' },
  insecure_issuer: { status: 400, title: 'This health system does not use a secure connection', advice: 'Housecall only connects to EHRs over HTTPS. Contact your support desk.' },
  discovery_failed: { status: 502, title: 'Housecall could not reach your health system', advice: 'Try again in a few minutes. If it keeps happening, contact your support desk and quote the reference below.' },
  pkce_unsupported: { status: 502, title: 'Your health system does not support a secure sign-in method Housecall needs', advice: 'Its sign-in service does not offer PKCE with S256. Contact your support desk and quote the reference below.' },
  client_rejected: { status: 502, title: 'Your health system did not recognise Housecall', advice: 'Housecall’s registration with this health system is missing or out of date. Contact your support desk and quote the reference below.' },
  state_unknown: { status: 400, title: 'This sign-in link is not valid', advice: 'Start again from your EHR or portal.' },
  state_expired: { status: 400, title: 'This sign-in took too long and expired', advice: 'Start again from your EHR or portal.' },
  state_replayed: { status: 400, title: 'This sign-in link was already used', advice: 'Start again from your EHR or portal.' },
  state_other_session: { status: 400, title: 'This sign-in was started in another browser or window', advice: 'Start again from your EHR or portal in this window. If Housecall is inside your EHR and this keeps happening, open it in a new window.' },
  authorization_denied: { status: 403, title: 'Access was not granted', advice: 'You or your health system declined to share the record with Housecall. Start again if this was a mistake.' },
  missing_code: { status: 400, title: 'Your health system sent you back without a sign-in code', advice: 'Start again from your EHR or portal. If it keeps happening, contact your support desk and quote the reference below.' },
  authorization_error: { status: 400, title: 'Your health system could not sign you in', advice: 'Start again from your EHR or portal. If it keeps happening, contact your support desk and quote the reference below.' },
  token_exchange_failed: { status: 502, title: 'Your health system did not complete the sign-in', advice: 'Start again from your EHR or portal. If it keeps happening, contact your support desk and quote the reference below.' },
  id_token_invalid: { status: 502, title: 'Housecall could not verify who signed in', advice: 'Start again from your EHR or portal. If it keeps happening, contact your support desk and quote the reference below.' },
  standalone_not_allowed: { status: 400, title: 'This health system opens Housecall only from inside its EHR', advice: 'Open the patient’s chart in your EHR and start Housecall from there.' },
  user_not_recognised: { status: 403, title: 'Housecall could not tell who signed in', advice: 'Your health system did not say who you are, or said someone other than the patient whose record was chosen. Start again from your EHR or portal and sign in as yourself; if it keeps happening, contact your support desk and quote the reference below.' },
  caregiver_not_available: { status: 403, title: 'Access for family members and caregivers is not available yet', advice: 'Housecall cannot yet open a record on behalf of someone you care for. The patient can sign in themselves, or you can use your health system’s own portal.' },
  no_patient_context: { status: 400, title: 'No patient was selected', advice: 'Open a patient’s chart in your EHR, then open Housecall again.' },
  launch_not_found: { status: 404, title: 'This Housecall session does not exist', advice: 'Open Housecall again from your EHR or portal.' },
  launch_ended: { status: 401, title: 'Your session ended', advice: 'Relaunch Housecall from your EHR or portal.' },
  refresh_busy: { status: 503, title: 'Your health system is slow to renew access', advice: 'Try again in a moment.' },
  session_missing: { status: 401, title: 'Housecall could not recognise this browser window', advice: 'Your browser may be blocking cookies inside the EHR. Open Housecall in a new window, or relaunch it from your EHR.' },
} as const;

export type LaunchErrorCode = keyof typeof LAUNCH_ERRORS;

export class LaunchError extends Error {
  readonly code: LaunchErrorCode;
  /** Safe to show (already a fixed message or text from the authorization server to be escaped). */
  readonly detail?: string;

  constructor(code: LaunchErrorCode, options?: { detail?: string; cause?: unknown }) {
    super(`${code}: ${LAUNCH_ERRORS[code].title}`, { cause: options?.cause });
    this.name = 'LaunchError';
    this.code = code;
    this.detail = options?.detail;
  }

  get status(): number {
    return LAUNCH_ERRORS[this.code].status;
  }
}
