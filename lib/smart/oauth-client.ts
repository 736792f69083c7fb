import 'server-only';
import * as oauth from 'oauth4webapi';
import { insecureAllowed, type IssuerConfig } from './config';
import type { SmartConfiguration } from './discovery';

/**
 * Adapts one registry entry plus its discovery document to oauth4webapi's types. Client
 * secrets and keys come from the environment variables the entry names, never from the file.
 */
export function authorizationServer(issuer: IssuerConfig, discovery: SmartConfiguration): oauth.AuthorizationServer {
  return {
    issuer: discovery.issuer ?? issuer.idTokenIssuer ?? issuer.fhirBaseUrl,
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

export function clientAuthentication(issuer: IssuerConfig, env: NodeJS.ProcessEnv = process.env): oauth.ClientAuth {
  const auth = issuer.clientAuth;
  switch (auth.method) {
    case 'none':
      return oauth.None();
    case 'client_secret_basic': {
      const secret = env[auth.secretEnv];
      if (!secret) throw new Error(`${auth.secretEnv} is not set (client secret for issuer ${issuer.id})`);
      return oauth.ClientSecretBasic(secret);
    }
    case 'private_key_jwt':
      throw new Error(`private_key_jwt for issuer ${issuer.id} is not available yet`);
  }
}

/** Request options: plain http only for issuers with both opt-ins. */
export function requestOptions(issuer: IssuerConfig, timeoutMs = 10_000): { signal: () => AbortSignal; [oauth.allowInsecureRequests]?: boolean } {
  return { signal: () => AbortSignal.timeout(timeoutMs), ...(insecureAllowed(issuer) ? { [oauth.allowInsecureRequests]: true } : {}) };
}
