import { completeLaunch, LAUNCH_HEADERS, launchErrorResponse, readBrowserSession, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** The OAuth callback: validate, exchange, verify, then a clean URL with no code or state. */
export async function GET(request: Request): Promise<Response> {
  try {
    const launch = await completeLaunch(
      { callbackUrl: new URL(request.url), browserSessionId: await readBrowserSession(request.headers.get('cookie')) },
      { config: smartConfig(), store: (await getStore()).launches },
    );
    const target = launch.workflow === 'patient' ? `/l/${launch.id}/portal` : `/l/${launch.id}/chart`;
    return new Response(null, { status: 303, headers: { ...LAUNCH_HEADERS, location: target } });
  } catch (e) {
    return launchErrorResponse(e);
  }
}
