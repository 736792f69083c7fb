import { getStore } from '@/lib/store';
import { requireStaffApi } from '@/lib/staff';
import { heldChangesAsStaff } from '@/lib/staff/actions';
import { readStaffBody, staffAnswer } from '@/lib/staff/respond';
import { heldActionSchema } from '@/lib/staff/schema';

export const dynamic = 'force-dynamic';

/** Support releases (keeps for the next launch) or discards the changes held for a launch's user and patient. */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const page = `/staff/support/launch/${encodeURIComponent(launchId)}`;
  const session = await requireStaffApi(request, ['support']);
  if (session instanceof Response) return session;
  const body = await readStaffBody(request);
  const parsed = heldActionSchema.safeParse(body?.fields);
  if (!parsed.success) return staffAnswer(body, page, { error: body ? 'staff-confirmation-required' : 'staff-invalid-request', diagnostics: parsed.error.issues[0]?.message });
  const result = await heldChangesAsStaff(session, launchId, parsed.data.action, parsed.data.reason, { store: await getStore() });
  if (result.outcome === 'not-found') return staffAnswer(body, '/staff/support', { error: 'staff-not-found' });
  if (result.outcome === 'no-owner') return staffAnswer(body, page, { error: 'staff-invalid-request', diagnostics: 'this launch has no user and patient to hold changes for' });
  return staffAnswer(body, page, { done: `held-${parsed.data.action}`, json: result });
}
