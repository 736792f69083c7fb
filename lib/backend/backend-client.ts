import 'server-only';
import * as oauth from 'oauth4webapi';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { readTextCapped } from '../fhir/server';
import { discover, insecureAllowed, privateKeyFor, type IssuerConfig } from '../smart';
import { logger } from '../telemetry';
import { BackendError } from './errors';

/**
 * A SMART Backend Services client (SMART App Launch 2.x, Backend Services): an access token from
 * the `client_credentials` grant, the client authenticated by a `private_key_jwt` assertion
 * (`iss` = `sub` = client id, `aud` = the token endpoint, a fresh `jti`, `exp` one minute ahead,
 * `kid` in the header), asking for the issuer's configured `system/` scopes.
 *
 * The token is kept in memory until a minute before it expires and shared by every caller; while
 * one is being fetched, other callers wait for that one request (single flight). A FHIR read that
 * answers 401 drops the token and is tried once more with a new one. Nothing here logs a token,
 * a URL with a query, or a patient id.
 */
export const TOKEN_MARGIN_MS = 60_000;
export const BACKEND_TIMEOUT_MS = 15_000;
export const MAX_BACKEND_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface BackendClientDeps {
  issuer: IssuerConfig;
  fetch?: typeof fetch;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  /** SMART discovery (lib/smart); injected by tests. */
  discover?: (issuer: IssuerConfig, fetchImpl: typeof fetch) => Promise<{ issuer?: string; token_endpoint: string }>;
}

export interface BackendClient {
  readonly issuerId: string;
  /** The scopes the EHR granted with the current token (after the first token request). */
  grantedScopes(): string[];
  /** A valid access token (cached, single flight). */
  accessToken(): Promise<string>;
  /** GET a FHIR path relative to the base (`Group?identifier=…`); a Bundle or resource. */
  read<T extends Resource = Bundle>(path: string): Promise<T>;
}

interface CachedToken {
  value: string;
  expiresAt: number;
  scopes: string[];
}

export function createBackendClient(deps: BackendClientDeps): BackendClient {
  const { issuer } = deps;
  const fetchImpl = deps.fetch ?? fetch;
  const now = deps.now ?? Date.now;
  const find = deps.discover ?? ((i: IssuerConfig, f: typeof fetch) => discover(i, f));
  const backend = issuer.backend;
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  async function requestToken(): Promise<CachedToken> {
    if (!backend) throw new BackendError('backend_not_configured');
    const env = deps.env ?? process.env;
    if (!env[backend.keyEnv]) throw new BackendError('backend_key_missing');
    const discovery = await find(issuer, fetchImpl);
    const as: oauth.AuthorizationServer = { issuer: discovery.issuer ?? issuer.fhirBaseUrl, token_endpoint: discovery.token_endpoint };
    const client: oauth.Client = { client_id: backend.clientId };
    const key = await privateKeyFor({ method: 'private_key_jwt', keyEnv: backend.keyEnv, alg: backend.alg, kid: backend.kid }, env);
    const auth = oauth.PrivateKeyJwt({ key, kid: backend.kid }, {
      [oauth.modifyAssertion]: (header, payload) => {
        header.typ = 'JWT';
        payload.aud = as.token_endpoint;
      },
    });
    const options = {
      [oauth.customFetch]: fetchImpl,
      signal: AbortSignal.timeout(BACKEND_TIMEOUT_MS),
      ...(insecureAllowed(issuer) ? { [oauth.allowInsecureRequests]: true } : {}),
    };
    let result: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: backend.scopes.join(' ') }, options);
      result = await oauth.processClientCredentialsResponse(as, client, response);
    } catch (cause) {
      const code = cause instanceof oauth.ResponseBodyError ? cause.error : (cause as Error).name;
      logger.warn({ event: 'backend.token_failed', issuer: issuer.id, reason: code }, 'backend token request failed');
      throw new BackendError('backend_token_failed', { cause, detail: code });
    }
    const scopes = (result.scope ?? backend.scopes.join(' ')).split(' ').filter(Boolean);
    const lifetimeMs = (result.expires_in ?? 300) * 1000;
    return { value: result.access_token, expiresAt: now() + lifetimeMs, scopes };
  }

  async function token(): Promise<CachedToken> {
    if (cached && cached.expiresAt - TOKEN_MARGIN_MS > now()) return cached;
    inFlight ??= requestToken().then(
      (t) => {
        cached = t;
        inFlight = undefined;
        return t;
      },
      (e: unknown) => {
        inFlight = undefined;
        throw e;
      },
    );
    return inFlight;
  }

  async function send(path: string, bearer: string): Promise<Response> {
    if (/^[a-z]+:|^\/\/|\.\./i.test(path)) throw new BackendError('backend_fhir_failed', { detail: 'not a relative FHIR path' });
    const url = `${issuer.fhirBaseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
    try {
      return await fetchImpl(url, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${bearer}` }, signal: AbortSignal.timeout(BACKEND_TIMEOUT_MS), redirect: 'error' });
    } catch (cause) {
      throw new BackendError('backend_fhir_failed', { cause, detail: (cause as Error).name });
    }
  }

  async function read<T extends Resource>(path: string): Promise<T> {
    let current = await token();
    let res = await send(path, current.value);
    if (res.status === 401) {
      // The EHR may end a token early: one new token, one more try.
      if (cached === current) cached = undefined;
      current = await token();
      res = await send(path, current.value);
    }
    let text: string;
    try {
      text = await readTextCapped(res, MAX_BACKEND_RESPONSE_BYTES, 'response-too-large');
    } catch (cause) {
      throw new BackendError('backend_fhir_failed', { cause, status: res.status, detail: 'response too large or cut off' });
    }
    if (!res.ok) {
      const type = path.split(/[/?]/)[0];
      logger.warn({ event: 'backend.fhir_failed', issuer: issuer.id, status: res.status, resourceType: type }, 'backend FHIR request failed');
      throw new BackendError('backend_fhir_failed', { status: res.status });
    }
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new BackendError('backend_fhir_failed', { cause, detail: 'not JSON' });
    }
  }

  return {
    issuerId: issuer.id,
    grantedScopes: () => cached?.scopes ?? [],
    accessToken: async () => (await token()).value,
    read,
  };
}
