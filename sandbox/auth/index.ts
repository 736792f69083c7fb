/**
 * The sandbox EHR's OAuth 2 / OpenID Connect / SMART App Launch authorization server, on
 * oidc-provider, mounted under the issuer's path (`/oidc`) of the sandbox's one HTTP server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import type { Seed } from '../../fixtures/types';
import type { FaultListener, Introspect, TokenInfo } from '../contracts';
import type { SandboxStats } from '../faults';
import type { SandboxKnobs } from '../knobs';
import { createAccounts, type Accounts } from './accounts';
import type { ClientMetadata } from './clients';
import { answerTokenFault, installAuthFaults, refuseRefresh, type AuthFaultDeps } from './faults';
import { createEhrSessions, type EhrSessions } from './ehr-session';
import { createInteractionHandler } from './interaction';
import { createLaunchContextStore, type EhrLaunch } from './launch-context';
import { createProvider } from './provider';
import { smartConfiguration } from './smart-configuration';
import { smartMiddleware } from './smart-middleware';
import { createStaffAccounts } from './staff';

export { loadClients, type ClientMetadata, type ClientPlaceholders } from './clients';
export { serveSmartConfiguration } from './discovery-route';
export type { Accounts, SandboxAccount } from './accounts';
export { formatName } from './accounts';
export type { EhrLaunch } from './launch-context';
export { EHR_SESSION_COOKIE, type EhrSessions } from './ehr-session';

export interface AuthServerOptions {
  /** The sandbox origin, e.g. `http://127.0.0.1:4010`. The issuer is `${origin}/oidc`. */
  origin: string;
  /** Absolute FHIR base URL: the `aud` clients must send and the only resource server. */
  fhirBase: string;
  seed: Seed;
  clients: ClientMetadata[];
  knobs: SandboxKnobs;
  /** Token counters, reported at `GET /_knobs/stats`. */
  stats: SandboxStats;
  onFault: FaultListener;
  /** Served by the pages; returned as `smart_style_url`. */
  smartStyleUrl: string;
  /** Served by the pages; returned instead while the `lowContrastStyle` knob is on. */
  lowContrastStyleUrl?: string;
}

export interface OAuthEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  introspect: string;
  jwks: string;
}

export interface AuthServer {
  issuer: string;
  endpoints: OAuthEndpoints;
  accounts: Accounts;
  /** Handles a request whose path starts with the issuer's path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  introspect: Introspect;
  /** The body of `${fhirBase}/.well-known/smart-configuration`. */
  smartConfiguration(): Record<string, unknown>;
  /** Who is signed in at the EHR page: the EHR page signs its user in, the EHR-launch authorization checks it. */
  ehrSessions: EhrSessions;
  /** Records an EHR launch (the EHR page calls this) and returns its opaque id. */
  createLaunch(input: { practitionerId: string; patientId: string; encounterId?: string }): EhrLaunch;
}

export const ISSUER_PATH = '/oidc';

async function createSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: 'RS256', use: 'sig', kid: `sandbox-${Date.now().toString(36)}` };
}

export async function createAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const issuer = `${options.origin}${ISSUER_PATH}`;
  const accounts = createAccounts(options.seed);
  const staff = createStaffAccounts(accounts);
  const contexts = createLaunchContextStore();
  const ehrSessions = createEhrSessions();
  const faults: AuthFaultDeps = { knobs: options.knobs, stats: options.stats, onFault: options.onFault };
  const provider = createProvider({
    issuer,
    fhirBase: options.fhirBase,
    clients: options.clients,
    accounts,
    contexts,
    knobs: options.knobs,
    signingKey: await createSigningKey(),
    refuseRefresh: (clientId) => refuseRefresh(faults, clientId),
    onFault: options.onFault,
    staff,
  });
  installAuthFaults(provider, faults);
  const styleUrl = () => (options.knobs.lowContrastStyle && options.lowContrastStyleUrl ? options.lowContrastStyleUrl : options.smartStyleUrl);
  provider.use(smartMiddleware({ contexts, smartStyleUrl: styleUrl, faults }));
  provider.on('server_error', (_ctx, error) => {
    console.error('[sandbox auth] server error:', error instanceof Error ? error.message : error);
  });

  const endpoints: OAuthEndpoints = {
    authorize: `${issuer}/auth`,
    token: `${issuer}/token`,
    revoke: `${issuer}/token/revocation`,
    introspect: `${issuer}/token/introspection`,
    jwks: `${issuer}/jwks`,
  };
  const handleInteraction = createInteractionHandler({
    provider,
    accounts,
    contexts,
    fhirBase: options.fhirBase,
    issuerPath: ISSUER_PATH,
    clientNames: new Map(options.clients.map((c) => [c.client_id, c.client_name ?? c.client_id])),
    faults,
    ehrSessions,
    staff,
  });
  const callback = provider.callback();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', options.origin);
    const subpath = url.pathname.slice(ISSUER_PATH.length) || '/';
    if (subpath.startsWith('/interaction/')) return handleInteraction(req, res, subpath, url);
    if (subpath === '/token' && req.method === 'POST' && (await answerTokenFault(req, res, faults))) return;
    // Mount the provider under the issuer path the way Express does: it derives its own
    // endpoint URLs from `originalUrl` minus `url`, or else from `baseUrl` (used when a
    // middleware has rewritten the query, so the two no longer line up).
    const mounted = req as IncomingMessage & { originalUrl?: string; baseUrl?: string };
    mounted.originalUrl = req.url;
    mounted.baseUrl = ISSUER_PATH;
    mounted.url = subpath + url.search;
    await callback(req, res);
  }

  /** A SMART Backend Services token: no user, no patient; only its `system/` scopes count. */
  async function introspectSystemToken(token: string): Promise<TokenInfo | null> {
    const credentials = await provider.ClientCredentials.find(token);
    if (!credentials || credentials.isExpired || !credentials.clientId || !credentials.exp) return null;
    return { scope: credentials.scope ?? '', clientId: credentials.clientId, sub: credentials.clientId, system: true, exp: credentials.exp };
  }

  async function introspect(token: string): Promise<TokenInfo | null> {
    if (!token || token.length > 1024) return null;
    const accessToken = await provider.AccessToken.find(token);
    if (!accessToken) return introspectSystemToken(token);
    if (accessToken.isExpired || !accessToken.grantId) return null;
    // A revoked grant (refresh token replay, code replay, revocation) takes its tokens with it.
    if (!(await provider.Grant.find(accessToken.grantId))) return null;
    const context = contexts.grantContext(accessToken.grantId);
    const account = accessToken.accountId ? accounts.get(accessToken.accountId) : undefined;
    if (!account || !accessToken.clientId || !accessToken.exp) return null;
    return {
      scope: accessToken.scope ?? '',
      clientId: accessToken.clientId,
      sub: account.id,
      fhirUser: context?.fhirUser ?? account.fhirUser,
      ...(context?.patient ? { patient: context.patient } : {}),
      ...(context?.encounter ? { encounter: context.encounter } : {}),
      exp: accessToken.exp,
    };
  }

  return {
    issuer,
    endpoints,
    accounts,
    ehrSessions,
    handle,
    introspect,
    smartConfiguration: () => smartConfiguration({ issuer, endpoints, v1Only: options.knobs.v1Only !== null }),
    createLaunch: (input) => {
      const practitioner = accounts.get(input.practitionerId);
      const patient = accounts.get(input.patientId);
      if (practitioner?.type !== 'Practitioner' || patient?.type !== 'Patient') {
        throw new Error('createLaunch: unknown practitioner or patient');
      }
      if (input.encounterId && !accounts.hasEncounter(input.patientId, input.encounterId)) {
        throw new Error('createLaunch: the encounter is not this patient\'s');
      }
      // The `issTrailingSlash` knob: an EHR whose base is written with a trailing slash says so in `iss`.
      return contexts.createLaunch({ ...input, iss: options.knobs.issTrailingSlash ? `${options.fhirBase}/` : options.fhirBase });
    },
  };
}
