/**
 * The authorization server's fault knobs and counters (see sandbox/README.md):
 * - `rejectClient`: `Client.find` answers "no such client" on the authorization and token
 *   routes, so oidc-provider itself refuses the client (error page, or 401 `invalid_client`);
 * - `tokenEndpoint`: answered here, before oidc-provider sees the request;
 * - `omitPatient` and the token counters: a Koa middleware around oidc-provider's routes;
 * - `rejectRefresh`: `refuseRefresh`, called from the provider's rotateRefreshToken hook,
 *   before the refresh token is used up;
 * - `narrowScopes` and `denyWithDescription`: read by the interaction handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Middleware, type Params } from 'oidc-provider';
import type { FaultListener } from '../contracts';
import { pause, sendRaw, takeFault, type SandboxStats } from '../faults';
import type { SandboxKnobs } from '../knobs';
import { readBody } from '../pages/request-body';

export interface AuthFaultDeps {
  knobs: SandboxKnobs;
  stats: SandboxStats;
  onFault: FaultListener;
}

/** Rotated refresh tokens remembered to spot reuse; the oldest are forgotten past this. */
const MAX_ROTATED = 10_000;

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function countTokenRequest(stats: SandboxStats, grantType: string, clientId: string): void {
  bump(stats.tokenRequests, grantType);
  bump((stats.tokenRequestsByClient[clientId] ??= {}), grantType);
}

function faultMiddleware({ knobs, stats, onFault }: AuthFaultDeps): Middleware {
  const rotated = new Set<string>();
  return async (ctx, next) => {
    await next();
    if (ctx.oidc?.route !== 'token') return;
    const params: Params = ctx.oidc.params ?? {};
    const grantType = typeof params.grant_type === 'string' ? params.grant_type : 'none';
    const clientId = ctx.oidc.client?.clientId ?? (typeof params.client_id === 'string' ? params.client_id : 'unknown');
    countTokenRequest(stats, grantType, clientId);

    if (grantType === 'refresh_token') {
      // Opaque refresh tokens are their own id, so the presented value names the token.
      if (typeof params.refresh_token === 'string' && rotated.has(params.refresh_token)) stats.rotatedRefreshTokenReuse += 1;
      const old = ctx.oidc.entities.RotatedRefreshToken;
      if (old && ctx.status === 200) {
        stats.refreshTokenRotations += 1;
        rotated.add(old.jti);
        if (rotated.size > MAX_ROTATED) rotated.delete(rotated.values().next().value!);
      }
    }

    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.status !== 200 || !body || !('patient' in body || 'encounter' in body)) return;
    if (takeFault(knobs, 'omitPatient', { clientId }, onFault)) {
      const { patient: _patient, encounter: _encounter, ...rest } = body;
      ctx.body = rest;
    }
  };
}

/**
 * Wires `rejectClient` and the token counters into the provider. Call it before any other
 * `provider.use`, so its middleware runs last on the way out (after the SMART context is added).
 */
export function installAuthFaults(provider: Provider, deps: AuthFaultDeps): void {
  const decided = new WeakMap<object, boolean>();
  const find = provider.Client.find.bind(provider.Client);
  provider.Client.find = async (id) => {
    const ctx = Provider.ctx;
    const route = ctx?.oidc?.route;
    if (ctx && (route === 'authorization' || route === 'token')) {
      // oidc-provider may look the client up twice in one request (again to render the error).
      let reject = decided.get(ctx);
      if (reject === undefined) {
        reject = takeFault(deps.knobs, 'rejectClient', { clientId: id }, deps.onFault) !== undefined;
        decided.set(ctx, reject);
      }
      if (reject) return undefined;
    }
    return find(id);
  };
  provider.use(faultMiddleware(deps));
}

/** For the rotateRefreshToken hook: true when this refresh must fail with `invalid_grant`. */
export function refuseRefresh(deps: AuthFaultDeps, clientId: string | undefined): boolean {
  return takeFault(deps.knobs, 'rejectRefresh', { clientId }, deps.onFault) !== undefined;
}

function basicClientId(req: IncomingMessage): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  try {
    return colon > 0 ? decodeURIComponent(decoded.slice(0, colon)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client of a token request: from HTTP Basic, else from the form body. Reading the body
 * hands it to oidc-provider as `req.body`, which it accepts from an upstream parser.
 */
async function tokenClientId(req: IncomingMessage): Promise<string | undefined> {
  const basic = basicClientId(req);
  if (basic) return basic;
  const text = await readBody(req, 56 * 1024);
  (req as IncomingMessage & { body?: string }).body = text;
  return new URLSearchParams(text).get('client_id') ?? undefined;
}

function defaultTokenError(status: number): Record<string, string> {
  const description = `The token endpoint failed (sandbox tokenEndpoint knob, HTTP ${status})`;
  if (status === 503) return { error: 'temporarily_unavailable', error_description: description };
  if (status >= 500) return { error: 'server_error', error_description: description };
  if (status === 401) return { error: 'invalid_client', error_description: description };
  if (status >= 400) return { error: 'invalid_request', error_description: description };
  return {};
}

/**
 * Applies `tokenEndpoint` to a POST to the token endpoint. Returns true when the request has been
 * answered (or its client gave up during the delay); false to let oidc-provider handle it.
 */
export async function answerTokenFault(req: IncomingMessage, res: ServerResponse, deps: AuthFaultDeps): Promise<boolean> {
  const knob = deps.knobs.tokenEndpoint;
  if (!knob) return false;
  const clientId = knob.clients ? await tokenClientId(req) : undefined;
  const fault = takeFault(deps.knobs, 'tokenEndpoint', { clientId }, deps.onFault);
  if (!fault) return false;
  if (!(await pause(fault.delayMs, res))) return true;
  if (fault.status === undefined && fault.body === undefined) return false;
  const status = fault.status ?? 200;
  sendRaw(res, status, fault.body ?? JSON.stringify(defaultTokenError(status)), fault.contentType);
  return true;
}
