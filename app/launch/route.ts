import { serverEnv } from '@/lib/env';
import { beginLaunch, ensureBrowserSession, findIssuerByIss, LAUNCH_HEADERS, launchErrorPage, readBrowserSession, renderAuthorizePost, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/**
 * EHR launch (`iss` + `launch`) and standalone launch (`iss`, with `scopes=clinician` from the
 * "open in a new window" link of an EHR launch: it picks the scope set, never the user; or with
 * `part=results` from a portal part the EHR did not grant, to ask again and return there).
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  try {
    const session = await ensureBrowserSession(request.headers.get('cookie'));
    const authorization = await beginLaunch(
      { iss: url.searchParams.get('iss'), launch: url.searchParams.get('launch'), scopesFor: url.searchParams.get('scopes') === 'clinician' ? 'clinician' : null, part: url.searchParams.get('part'), browserSessionId: session.sid, redirectUri: `${serverEnv().HOUSECALL_URL}/redirect` },
      { config: smartConfig(), store: (await getStore()).launches },
    );
    const headers = new Headers(LAUNCH_HEADERS);
    if (session.setCookie) headers.append('set-cookie', session.setCookie);
    if (authorization.kind === 'post') {
      headers.set('content-type', 'text/html; charset=utf-8');
      return new Response(renderAuthorizePost(authorization.action, authorization.params), { status: 200, headers });
    }
    headers.set('location', authorization.url.toString());
    return new Response(null, { status: 302, headers });
  } catch (e) {
    const iss = url.searchParams.get('iss');
    const where = { browserSessionId: await readBrowserSession(request.headers.get('cookie')), issuerId: iss ? (findIssuerByIss(smartConfig(), iss)?.id ?? null) : null };
    return launchErrorPage(e, where, async () => (await getStore()).support);
  }
}
