/**
 * SMART Backend Services (SMART App Launch 2.x, "Backend Services"): the `client_credentials`
 * grant with a `private_key_jwt` client assertion, granting `system/` scopes.
 *
 * oidc-provider already verifies the signature against the client's JWKS, requires `exp`, `jti`
 * and `iss` = client_id, and refuses a replayed `jti`. Real EHRs are stricter, so the sandbox is
 * too: the assertion's `aud` must be exactly the token endpoint (oidc-provider would also take the
 * issuer), `sub` must be the client_id, it may live at most five minutes, and its header names
 * the key (`kid`).
 */
import { errors } from 'oidc-provider';
import { parseScopes } from '../fhir/scopes';

/** The longest a client assertion may be valid for, from now (SMART: "no more than five minutes"). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
const CLOCK_SKEW_SECONDS = 5;

export interface BackendAssertion {
  claims: Record<string, unknown>;
  header: Record<string, unknown>;
  clientId: string;
  tokenEndpoint: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/** Throws `invalid_client` when a backend client's assertion breaks a SMART Backend Services rule. */
export function assertBackendAssertion({ claims, header, clientId, tokenEndpoint, now }: BackendAssertion): void {
  const refuse = (why: string) => new errors.InvalidClientAuth(why);
  if (claims.sub !== clientId) throw refuse('sub (JWT subject) must be the client_id');
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (audiences.length !== 1 || audiences[0] !== tokenEndpoint) throw refuse(`aud (JWT audience) must be the token endpoint URL ${tokenEndpoint}`);
  const exp = claims.exp;
  if (typeof exp !== 'number' || exp > now / 1000 + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw refuse(`exp must be no more than ${MAX_ASSERTION_LIFETIME_SECONDS} seconds in the future`);
  }
  if (typeof header.kid !== 'string' || header.kid.length === 0) throw refuse('the client assertion header must name its key (kid)');
}

/**
 * The scopes a client_credentials request is granted: well-formed `system/` scopes that the
 * client's registration lists. A request left with none is refused (`invalid_scope`), so a
 * client never holds a token that can do nothing without being told.
 */
export function grantableSystemScopes(requested: readonly string[], registered: string | undefined): string[] {
  const allowed = new Set((registered ?? '').split(' ').filter(Boolean));
  const granted = requested.filter((scope) => allowed.has(scope) && parseScopes(scope).every((g) => g.context === 'system') && parseScopes(scope).length === 1);
  if (granted.length === 0) {
    throw new errors.InvalidScope('request at least one system/ scope this client is registered for', requested.join(' '));
  }
  return granted;
}
