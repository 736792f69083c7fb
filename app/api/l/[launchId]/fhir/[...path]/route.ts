import { authorizeFhirRequest, fhirResponse, filterResponse, outcomeResponse, parseFhirRequest, ProxyError } from '@/lib/fhir';
import { forwardToEhr } from '@/lib/fhir/server';
import { authenticateLaunch, findIssuerById, freshAccessToken, LaunchError, parseGrantedScopes, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { logger } from '@/lib/telemetry';

export const dynamic = 'force-dynamic';
const MAX_BODY = 1024 * 1024;

type Ctx = { params: Promise<{ launchId: string; path: string[] }> };

/**
 * The BFF proxy: parse → authenticate → authorize → act → filter → audit → respond.
 * The browser never talks to the EHR and never sees a token.
 */
async function handle(request: Request, ctx: Ctx): Promise<Response> {
  const started = performance.now();
  const { launchId, path } = await ctx.params;
  try {
    const url = new URL(request.url);
    const parsed = parseFhirRequest(request.method, path, url.searchParams);

    const { launches } = await getStore();
    const access = await authenticateLaunch(launchId, request.headers.get('cookie'), launches);
    if (!access.ok) throw new ProxyError(access.reason === 'ended' ? 'launch-ended' : 'not-authenticated');
    const issuer = findIssuerById(smartConfig(), access.launch.issuerId);
    if (!issuer) throw new ProxyError('launch-ended');

    const authorized = authorizeFhirRequest(parsed, { patientId: access.launch.patientId, grants: parseGrantedScopes(access.launch.scope) });

    let body: string | undefined;
    if (parsed.interaction === 'create' || parsed.interaction === 'update') {
      body = await request.text();
      if (body.length > MAX_BODY) throw new ProxyError('invalid-body', 'body too large');
    }
    const tokenDeps = { store: launches, config: smartConfig() };
    const send = (accessToken: string) => forwardToEhr(authorized, {
      fhirBase: issuer.fhirBaseUrl,
      accessToken,
      body,
      ifMatch: request.headers.get('if-match'),
      ifNoneExist: request.headers.get('if-none-exist'),
    });
    let token = await freshAccessToken(access.launch, tokenDeps);
    let upstream = await send(token);
    if (upstream.status === 401) {
      // Once: the EHR may have expired the token early. A second 401 ends here.
      token = await freshAccessToken(access.launch, tokenDeps, token);
      upstream = await send(token);
      if (upstream.status === 401) throw new ProxyError('launch-ended');
    }

    const filtered = filterResponse(authorized, upstream.body, { patientId: access.launch.patientId, fhirBase: issuer.fhirBaseUrl, proxyBase: `/api/l/${launchId}/fhir` });

    logger.info({ event: 'proxy.request', launchId, interaction: parsed.interaction, type: parsed.resourceType, status: upstream.status, ms: Math.round(performance.now() - started) }, 'proxied');
    return fhirResponse(upstream.status, filtered, { etag: upstream.etag, 'last-modified': upstream.lastModified });
  } catch (caught) {
    const e = caught instanceof LaunchError && caught.code === 'launch_ended' ? new ProxyError('launch-ended') : caught;
    if (!(e instanceof ProxyError)) logger.error({ event: 'proxy.unexpected', launchId, err: { name: (e as Error)?.name, message: (e as Error)?.message } }, 'proxy failure');
    else logger.info({ event: 'proxy.refused', launchId, outcome: e.code }, 'proxy refused');
    return outcomeResponse(e);
  }
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;
