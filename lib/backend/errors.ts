/**
 * Errors of the SMART Backend Services client, each with a stable code. None carries a token,
 * a patient id or the EHR's error text beyond its OAuth error code.
 */
export const BACKEND_ERRORS = {
  backend_not_configured: 'No backend client is configured for this EHR.',
  backend_key_missing: 'The backend client key is not set on this server.',
  backend_token_failed: 'The EHR refused the backend client a token.',
  backend_scope_missing: 'The EHR granted the backend client fewer scopes than it needs.',
  backend_fhir_failed: 'The EHR could not answer the backend client.',
} as const;

export type BackendErrorCode = keyof typeof BACKEND_ERRORS;

export class BackendError extends Error {
  readonly code: BackendErrorCode;
  /** The EHR's HTTP status, when it answered. */
  readonly status?: number;
  constructor(code: BackendErrorCode, options: { cause?: unknown; status?: number; detail?: string } = {}) {
    super(options.detail ? `${BACKEND_ERRORS[code]} (${options.detail})` : BACKEND_ERRORS[code], { cause: options.cause });
    this.name = 'BackendError';
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
  }
}
