export { createBackendClient, TOKEN_MARGIN_MS, type BackendClient, type BackendClientDeps } from './backend-client';
export { BackendError, BACKEND_ERRORS, type BackendErrorCode } from './errors';
