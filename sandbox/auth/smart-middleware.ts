/**
 * SMART behaviour oidc-provider has no option for, as one Koa middleware around its routes:
 * - authorization: SMART clients ask for `offline_access` without `prompt=consent`, which OIDC
 *   requires before it issues a refresh token; every sandbox authorization shows consent (or is
 *   an EHR launch the user already approved), so adding it changes nothing else;
 * - token (code and refresh grants): add the launch context, the banner flag, the style URL and
 *   the full granted scope to the response body.
 */
import type { Middleware } from 'oidc-provider';
import type { LaunchContextStore } from './launch-context';

export interface SmartMiddlewareDeps {
  contexts: LaunchContextStore;
  /** The style URL for this token response (a knob may pick another). */
  smartStyleUrl: () => string;
}

function requireConsentForOffline(ctx: Parameters<Middleware>[0]): void {
  const { scope, prompt } = ctx.query;
  if (typeof scope !== 'string' || !scope.split(' ').includes('offline_access')) return;
  const prompts = typeof prompt === 'string' ? prompt.split(' ').filter(Boolean) : [];
  if (prompts.includes('consent') || prompts.includes('none')) return;
  ctx.query = { ...ctx.query, prompt: [...prompts, 'consent'].join(' ') };
}

export function smartMiddleware({ contexts, smartStyleUrl }: SmartMiddlewareDeps): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET') requireConsentForOffline(ctx);
    await next();

    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body.access_token !== 'string') return;
    const { entities, params } = ctx.oidc;
    const source = entities.AuthorizationCode ?? entities.RefreshToken;
    const scope = typeof params.scope === 'string' ? params.scope : source?.scope;
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
