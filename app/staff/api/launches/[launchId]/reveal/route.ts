import { getStore } from '@/lib/store';
import { requireStaffApi, staffOutcomeResponse } from '@/lib/staff';
import { revealAsStaff } from '@/lib/staff/actions';
import { readStaffBody } from '@/lib/staff/respond';
import { revealSchema } from '@/lib/staff/schema';

export const dynamic = 'force-dynamic';

/**
 * An auditor reveals the real user or patient id behind a launch's pseudonym. JSON only (the id
 * never travels in a URL); the reveal is audited before the id is returned.
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const session = await requireStaffApi(request, ['auditor']);
  if (session instanceof Response) return session;
  const body = await readStaffBody(request);
  const parsed = revealSchema.safeParse(body?.fields);
  if (!parsed.success) return staffOutcomeResponse('staff-invalid-request', parsed.error.issues[0]?.message);
  const id = await revealAsStaff(session, launchId, parsed.data.which, parsed.data.reason, { store: await getStore() });
  if (id === undefined) return staffOutcomeResponse('staff-not-found');
  return new Response(JSON.stringify({ which: parsed.data.which, id }), { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
