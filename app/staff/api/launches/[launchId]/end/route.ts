import { smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { requireStaffApi } from '@/lib/staff';
import { endLaunchAsStaff } from '@/lib/staff/actions';
import { readStaffBody, staffAnswer } from '@/lib/staff/respond';
import { endLaunchSchema } from '@/lib/staff/schema';

export const dynamic = 'force-dynamic';

/** Support ends a launch (revoke + wipe on the device's next sync), with a reason and a confirmation. */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const page = `/staff/support/launch/${encodeURIComponent(launchId)}`;
  const session = await requireStaffApi(request, ['support']);
  if (session instanceof Response) return session;
  const body = await readStaffBody(request);
  const parsed = endLaunchSchema.safeParse(body?.fields);
  if (!parsed.success) return staffAnswer(body, page, { error: body ? 'staff-confirmation-required' : 'staff-invalid-request', diagnostics: parsed.error.issues[0]?.message });
  const result = await endLaunchAsStaff(session, launchId, parsed.data.reason, { store: await getStore(), config: smartConfig() });
  if (result.outcome === 'not-found') return staffAnswer(body, '/staff/support', { error: 'staff-not-found' });
  return staffAnswer(body, page, { done: result.outcome, json: result });
}
