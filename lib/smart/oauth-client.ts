import 'server-only';
import * as oauth from 'oauth4webapi';
import { privateKeyFor } from './client-keys';
import { insecureAllowed, type IssuerConfig } from './config';
import type { SmartConfiguration } from './discovery';

/**
 * Adapts one registry entry plus its discovery document to oauth4webapi's types. Client
 * secrets and keys come from the environment variables the entry names, never from the file.
 * The issuer expected in the id_token and an RFC 9207 `iss` callback parameter is the
 * operator's `idTokenIssuer` when set (an explicit override for servers such as Epic whose
 * OpenID issuer, `…/oauth2`, differs from the FHIR base), else discovery's `issuer`, else the
 * FHIR base.
 */
export function authorizationServer(issuer: IssuerConfig, discovery: SmartConfiguration): oauth.AuthorizationServer {
  return {
    issuer: issuer.idTokenIssuer ?? discovery.issuer ?? issuer.fhirBaseUrl,
    authorization_endpoint: discovery.authorization_endpoint,
    token_endpoint: discovery.token_endpoint,
    revocation_endpoint: discovery.revocation_endpoint,
    jwks_uri: discovery.jwks_uri,
    code_challenge_methods_supported: discovery.code_challenge_methods_supported,
  };
}

export function oauthClient(issuer: IssuerConfig): oauth.Client {
  return { client_id: issuer.clientId, id_token_signed_response_alg: 'RS256' };
}

/**
 * Client authentication per issuer. For private_key_jwt the assertion follows SMART App Launch
 * §5.2 (asymmetric client authentication): `typ: JWT`, `kid`, `iss` = `sub` = client id,
 * `aud` = the token endpoint, a unique `jti`, and `exp` one minute ahead (the limit is five).
 */
export async function clientAuthentication(issuer: IssuerConfig, as: oauth.AuthorizationServer, env: NodeJS.ProcessEnv = process.env): Promise<oauth.ClientAuth> {
  const auth = issuer.clientAuth;
  switch (auth.method) {
    case 'none':
      return oauth.None();
    case 'client_secret_basic': {
      const secret = env[auth.secretEnv];
      if (!secret) throw new Error(`${auth.secretEnv} is not set (client secret for issuer ${issuer.id})`);
      return oauth.ClientSecretBasic(secret);
    }
    case 'private_key_jwt': {
      const key = await privateKeyFor(auth, env);
      return oauth.PrivateKeyJwt({ key, kid: auth.kid }, {
        [oauth.modifyAssertion]: (header, payload) => {
          header.typ = 'JWT';
          payload.aud = as.token_endpoint;
        },
      });
    }
  }
}

/** A token, revocation or PAR request gives up after this (refresh.ts sizes its lease on it). */
export const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

/** Request options: plain http only for issuers with both opt-ins. */
export function requestOptions(issuer: IssuerConfig, timeoutMs = TOKEN_REQUEST_TIMEOUT_MS): { signal: () => AbortSignal; [oauth.allowInsecureRequests]?: boolean } {
  return { signal: () => AbortSignal.timeout(timeoutMs), ...(insecureAllowed(issuer) ? { [oauth.allowInsecureRequests]: true } : {}) };
}
