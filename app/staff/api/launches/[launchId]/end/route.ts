import { smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { endLaunchAsStaff } from '@/lib/staff/actions';
import { staffAnswer, startSupportAction } from '@/lib/staff/respond';
import { endLaunchSchema } from '@/lib/staff/schema';

export const dynamic = 'force-dynamic';

/** Support ends a launch (revoke + wipe on the device's next sync), with a reason and a confirmation. */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const started = await startSupportAction(request, ctx, endLaunchSchema);
  if (started instanceof Response) return started;
  const { session, launchId, page, body, data } = started;
  const result = await endLaunchAsStaff(session, launchId, data.reason, { store: await getStore(), config: smartConfig() });
  if (result.outcome === 'not-found') return staffAnswer(body, '/staff/support', { error: 'staff-not-found' });
  return staffAnswer(body, page, { done: result.outcome, json: result });
}
