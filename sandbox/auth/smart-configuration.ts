/**
 * `.well-known/smart-configuration` (SMART App Launch 2.x, "Conformance"): only capabilities the
 * sandbox actually delivers, each covered by sandbox/auth tests.
 */
export interface SmartConfigurationInput {
  issuer: string;
  endpoints: { authorize: string; token: string; revoke: string; introspect: string; jwks: string };
  /** A server that speaks SMART v1 scopes only (the `v1Only` knob): no `permission-v2`, no v2 scopes. */
  v1Only?: boolean;
}

export const SMART_CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
  'sso-openid-connect',
] as const;

export function smartConfiguration({ issuer, endpoints, v1Only = false }: SmartConfigurationInput): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: endpoints.jwks,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    revocation_endpoint: endpoints.revoke,
    introspection_endpoint: endpoints.introspect,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: [
      'openid',
      'fhirUser',
      'launch',
      'launch/patient',
      'offline_access',
      'online_access',
      'patient/*.read',
      'patient/*.write',
      'patient/*.rs',
      'patient/*.cruds',
      'user/*.read',
      'user/*.write',
      'user/*.rs',
      'user/*.cruds',
      'system/*.read',
      'system/*.rs',
    ].filter((s) => !v1Only || !/\.(rs|cruds)$/.test(s)),
    capabilities: SMART_CAPABILITIES.filter((c) => !v1Only || c !== 'permission-v2'),
  };
}
