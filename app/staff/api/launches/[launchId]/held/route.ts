import { getStore } from '@/lib/store';
import { heldChangesAsStaff } from '@/lib/staff/actions';
import { staffAnswer, startSupportAction } from '@/lib/staff/respond';
import { heldActionSchema } from '@/lib/staff/schema';

export const dynamic = 'force-dynamic';

/** Support releases (keeps for the next launch) or discards the changes held for a launch's user and patient. */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const started = await startSupportAction(request, ctx, heldActionSchema);
  if (started instanceof Response) return started;
  const { session, launchId, page, body, data } = started;
  const result = await heldChangesAsStaff(session, launchId, data.action, data.reason, { store: await getStore() });
  if (result.outcome === 'not-found') return staffAnswer(body, '/staff/support', { error: 'staff-not-found' });
  if (result.outcome === 'no-owner') return staffAnswer(body, page, { error: 'staff-invalid-request', diagnostics: 'this launch has no user and patient to hold changes for' });
  return staffAnswer(body, page, { done: `held-${data.action}`, json: result });
}
