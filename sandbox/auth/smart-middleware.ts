/**
 * SMART behaviour oidc-provider has no option for, as one Koa middleware around its routes:
 * - authorization: SMART clients ask for `offline_access` without `prompt=consent`, which OIDC
 *   requires before it issues a refresh token; every sandbox authorization shows consent (or is
 *   an EHR launch the user already approved), so adding it changes nothing else;
 * - authorization, `narrowCategory` knob: the request's v2 scopes of that type are taken as
 *   restricted to the category (`patient/Observation.rs` → `…?category=laboratory`), so the
 *   grant, the tokens and the token response carry the narrowed scope, as a server that
 *   narrows a grant would;
 * - token (code and refresh grants): add the launch context, the banner flag and the style URL,
 *   and say in `scope` what the issued access token allows (its resource scopes, never an echo
 *   of the request) plus the OpenID scopes of the grant.
 */
import type { Middleware } from 'oidc-provider';
import { takeFault } from '../faults';
import type { AuthFaultDeps } from './faults';
import type { LaunchContextStore } from './launch-context';
import { narrowToCategory, parseResourceScope } from './scopes';

export interface SmartMiddlewareDeps {
  contexts: LaunchContextStore;
  /** The style URL for this token response (a knob may pick another). */
  smartStyleUrl: () => string;
  faults?: AuthFaultDeps;
}

function narrowCategory(ctx: Parameters<Middleware>[0], faults: AuthFaultDeps | undefined): void {
  const { scope, client_id: clientId } = ctx.query;
  if (!faults || typeof scope !== 'string') return;
  const narrowing = takeFault(faults.knobs, 'narrowCategory', { clientId: typeof clientId === 'string' ? clientId : undefined }, faults.onFault);
  if (!narrowing) return;
  ctx.query = { ...ctx.query, scope: scope.split(' ').map((s) => narrowToCategory(s, narrowing)).join(' ') };
}

function requireConsentForOffline(ctx: Parameters<Middleware>[0]): void {
  const { scope, prompt } = ctx.query;
  if (typeof scope !== 'string' || !scope.split(' ').includes('offline_access')) return;
  const prompts = typeof prompt === 'string' ? prompt.split(' ').filter(Boolean) : [];
  if (prompts.includes('consent') || prompts.includes('none')) return;
  ctx.query = { ...ctx.query, prompt: [...prompts, 'consent'].join(' ') };
}

export function smartMiddleware({ contexts, smartStyleUrl, faults }: SmartMiddlewareDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET') {
      requireConsentForOffline(ctx);
      narrowCategory(ctx, faults);
    }
    await next();

    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    // A backend (client_credentials) token has no user and no launch: its response stays as issued.
    if (ctx.oidc.params.grant_type === 'client_credentials') return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body.access_token !== 'string') return;
    const { entities, params } = ctx.oidc;
    const source = entities.AuthorizationCode ?? entities.RefreshToken;
    // OpenID and context scopes from what this grant gave (narrowed by a refresh request's own
    // scope, which oidc-provider keeps within the grant); resource scopes from the access token.
    const asked = typeof params.scope === 'string' ? params.scope : source?.scope;
    const openidScopes = (asked ?? '').split(' ').filter((s) => s && !parseResourceScope(s));
    const issued = typeof entities.AccessToken?.scope === 'string' ? entities.AccessToken.scope : (typeof body.scope === 'string' ? body.scope : '');
    const scope = [...new Set([...openidScopes, ...issued.split(' ').filter(Boolean)])].join(' ');
    const context = contexts.grantContext(entities.AccessToken?.grantId ?? source?.grantId);
    ctx.body = {
      ...body,
      ...(scope ? { scope } : {}),
      ...(context?.patient ? { patient: context.patient } : {}),
      ...(context?.encounter ? { encounter: context.encounter } : {}),
      ...(context ? { need_patient_banner: context.needPatientBanner } : {}),
      smart_style_url: smartStyleUrl(),
    };
  };
}
