/**
 * oidc-provider configured as a strict SMART App Launch authorization server:
 * authorization code only, PKCE S256 required, exact redirect URIs, single-use codes, rotating
 * refresh tokens, FHIR resource scopes granted through a resource indicator (the FHIR base).
 */
import { randomBytes } from 'node:crypto';
import Provider, { errors, type Account, type KoaContextWithOIDC, type TokenLike } from 'oidc-provider';
import type { FaultListener } from '../contracts';
import { takeFault } from '../faults';
import { html, page } from '../pages/html';
import type { SandboxKnobs } from '../knobs';
import type { Accounts } from './accounts';
import type { ClientMetadata } from './clients';
import type { LaunchContextStore } from './launch-context';
import { assertBackendAssertion, grantableSystemScopes } from './backend-services';
import { CONTEXT_SCOPES, grantableResourceScopes, splitScope } from './scopes';
import { STAFF_CLIENT_ID, STAFF_SCOPE, staffClaims, type StaffAccount } from './staff';

export interface ProviderDeps {
  issuer: string;
  fhirBase: string;
  clients: ClientMetadata[];
  accounts: Accounts;
  contexts: LaunchContextStore;
  knobs: SandboxKnobs;
  /** Private signing key (JWK) for ID tokens. */
  signingKey: Record<string, unknown>;
  /** Counts the firings of the knobs it applies (`absoluteFhirUser`, `fhirUserAsRole`). */
  onFault?: FaultListener;
  /** Asked before each refresh token rotation; true makes the refresh fail (`rejectRefresh` knob). */
  refuseRefresh?: (clientId: string | undefined) => boolean;
  /** Staff accounts (staff.ts): found only for the staff console's client. */
  staff?: Map<string, StaffAccount>;
}

const DAY = 24 * 60 * 60;

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export function createProvider(deps: ProviderDeps): Provider {
  const { fhirBase, accounts, contexts, knobs } = deps;
  const issuerPath = new URL(deps.issuer).pathname.replace(/\/$/, '');

  /** SMART sends `aud` (the FHIR base), not `resource`: it becomes the one resource indicator. */
  async function defaultResource(ctx: KoaContextWithOIDC, client: { clientId?: string } | undefined, oneOf?: string | string[]) {
    // The staff console signs people in; it asks for no FHIR access and gets none.
    if (client?.clientId === STAFF_CLIENT_ID) return undefined;
    if (oneOf) {
      const list = Array.isArray(oneOf) ? oneOf : [oneOf];
      return list.find((r) => sameUrl(r, fhirBase)) ?? list[0];
    }
    if (ctx.oidc.route === 'authorization') {
      // Compared exactly, as the strictest EHRs do: for an EHR launch `aud` is the `iss` the EHR
      // handed the app (SMART App Launch: "the same as the launch's iss value"), trailing slash and
      // all; for a standalone launch, the base this server advertises.
      const aud = ctx.oidc.params.aud;
      const launchId = ctx.oidc.params.launch;
      const expected = (typeof launchId === 'string' ? contexts.findLaunch(launchId)?.iss : undefined) ?? fhirBase;
      if (aud !== expected) {
        throw new errors.InvalidRequest(`aud must be this server's FHIR base URL exactly as given (${expected})`);
      }
    }
    return fhirBase;
  }

  /**
   * Which scopes the FHIR server accepts: SMART scopes are open-ended, so they are computed per
   * request — from the request at the authorization endpoint, from the Grant at the token
   * endpoint (otherwise oidc-provider would drop them from the access token).
   */
  async function getResourceServerInfo(ctx: KoaContextWithOIDC, indicator: string) {
    if (!sameUrl(indicator, fhirBase)) throw new errors.InvalidTarget('unknown resource server');
    const grant = ctx.oidc.entities.Grant;
    // SMART Backend Services: only the `system/` scopes registered for the client, never user or patient ones.
    const scope = ctx.oidc.params.grant_type === 'client_credentials'
      ? grantableSystemScopes(splitScope(ctx.oidc.params.scope), systemScopes.get(ctx.oidc.client?.clientId ?? '')).join(' ')
      : grant
        ? grant.getResourceScope(fhirBase)
        : grantableResourceScopes(splitScope(ctx.oidc.params.scope)).join(' ');
    return {
      scope,
      audience: fhirBase,
      accessTokenFormat: 'opaque',
      accessTokenTTL: knobs.accessTokenTtlSeconds,
    };
  }

  async function findAccount(ctx: KoaContextWithOIDC | undefined, sub: string): Promise<Account | undefined> {
    const clientId = ctx?.oidc?.client?.clientId;
    if (clientId === STAFF_CLIENT_ID) {
      const member = deps.staff?.get(sub);
      return member ? { accountId: member.id, claims: () => staffClaims(member) } : undefined;
    }
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: account.id,
      claims: () => {
        // SMART lets the claim name a practitioner's role rather than the practitioner.
        const asRole = account.roleFhirUser !== undefined && takeFault(knobs, 'fhirUserAsRole', { clientId }, deps.onFault);
        const user = asRole ? account.roleFhirUser! : account.fhirUser;
        // Epic style: the claim is the user's full URL on this FHIR server, not `Type/id`.
        const absolute = takeFault(knobs, 'absoluteFhirUser', { clientId }, deps.onFault);
        return { sub: account.id, fhirUser: absolute ? `${fhirBase.replace(/\/+$/, '')}/${user}` : user };
      },
    };
  }

  /** Launch context travels with the access token, so introspection can report it. */
  async function extraTokenClaims(_ctx: unknown, token: TokenLike) {
    const context = contexts.grantContext(token.grantId);
    if (!context) return undefined;
    return {
      fhirUser: context.fhirUser,
      ...(context.patient ? { patient: context.patient } : {}),
      ...(context.encounter ? { encounter: context.encounter } : {}),
    };
  }

  // oidc-provider refuses to fetch from loopback addresses (SSRF protection). The sandbox and
  // Housecall both run on loopback, so a registered client's jwks_uri (and only that address) is
  // fetched without the guard.
  const jwksUris = new Set(deps.clients.flatMap((c) => (c.jwks_uri ? [c.jwks_uri] : [])));
  const fetchForClients = (url: URL | string, options: RequestInit & { dispatcher?: unknown }) => {
    if (!jwksUris.has(String(url))) return globalThis.fetch(url, options);
    const { dispatcher: _guard, ...rest } = options;
    return globalThis.fetch(url, rest);
  };

  // oidc-provider takes only its own (OIDC) scopes as client metadata: the system/ scopes a
  // backend client may be granted are kept here and checked at the token endpoint.
  const systemScopes = new Map(deps.clients.map((c) => [c.client_id, c.scope]));
  const configuration = {
    fetch: fetchForClients,
    clients: deps.clients.map(({ scope: _systemScopes, ...metadata }) => metadata),
    jwks: { keys: [deps.signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], [STAFF_SCOPE]: ['name', 'roles'] },
    scopes: ['openid', 'offline_access', STAFF_SCOPE, ...CONTEXT_SCOPES],
    extraParams: ['launch', 'aud'],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
    // SMART App Launch §5.2 asymmetric client authentication: RS384 and ES384 (plus the OIDC defaults).
    enabledJWA: { clientAuthSigningAlgValues: ['RS256', 'RS384', 'PS256', 'ES256', 'ES384'] },
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    conformIdTokenClaims: false,
    // Runs after the refresh token is validated and before it is used up.
    rotateRefreshToken: (ctx: KoaContextWithOIDC) => {
      if (deps.refuseRefresh?.(ctx.oidc.client?.clientId)) throw new errors.InvalidGrant('refresh refused by the sandbox (rejectRefresh knob)');
      return true;
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }, code: TokenLike) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || code.scopes.has('online_access')),
    // Never reuse a grant from an earlier authorization: each launch decides its own context.
    loadExistingGrant: async (ctx: KoaContextWithOIDC & { oidc: { result?: { consent?: { grantId?: string } } } }) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? provider.Grant.find(grantId) : undefined;
    },
    findAccount,
    extraTokenClaims,
    // Stricter than oidc-provider alone for backend clients (aud, sub, lifetime, kid): backend-services.ts.
    assertJwtClientAuthClaimsAndHeader: async (ctx: KoaContextWithOIDC, claims: Record<string, unknown>, header: Record<string, unknown>, client: { clientId: string; grantTypeAllowed(t: string): boolean }) => {
      if (client.grantTypeAllowed('client_credentials')) assertBackendAssertion({ claims, header, clientId: client.clientId, tokenEndpoint: `${deps.issuer}/token`, now: Date.now() });
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${issuerPath}/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Over HTTP a client may revoke or introspect only its own tokens (the FHIR server
      // introspects in process, through `introspect()`).
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest('client may revoke only its own tokens');
          return true;
        },
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource,
        useGrantedResource: () => true,
        getResourceServerInfo,
      },
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? knobs.accessTokenTtlSeconds,
      ClientCredentials: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        Math.min(token.resourceServer?.accessTokenTTL ?? knobs.accessTokenTtlSeconds, 300),
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Grant: 14 * DAY,
      RefreshToken: 14 * DAY,
      Session: DAY,
    },
    clientBasedCORS: (_ctx: unknown, origin: string, client: { redirectUris: string[] }) =>
      client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin),
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = page({
        title: 'Sign-in error · Sandbox EHR',
        body: html`<main><h1>The request could not be completed</h1>
<dl class="card">${Object.entries(out).map(([k, v]) => html`<dt>${k}</dt><dd data-testid="oauth-${k}">${v}</dd>`)}</dl>
<p>Start again from the app or the EHR.</p></main>`,
      });
    },
  };

  const provider = new Provider(deps.issuer, configuration);
  return provider;
}
