import { authenticateLaunch, LAUNCH_HEADERS } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { recordChartOpen } from '../chart-visit';

export const dynamic = 'force-dynamic';

/**
 * `POST /l/{launchId}/chart/visit`: the chart has loaded and been shown; it becomes the
 * "last opened" baseline for this clinician's next launch on this patient. Same-origin only
 * (proxy.ts refuses cross-site writes); no body, no data returned.
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const { launches } = await getStore();
  const access = await authenticateLaunch(launchId, request.headers.get('cookie'), launches);
  if (!access.ok) return new Response(null, { status: 401, headers: LAUNCH_HEADERS });
  const recorded = await recordChartOpen(access.launch);
  return new Response(null, { status: recorded ? 204 : 202, headers: LAUNCH_HEADERS });
}
