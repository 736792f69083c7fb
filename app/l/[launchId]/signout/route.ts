import { recordAudit } from '@/lib/audit';
import { authenticateLaunch, endLaunchAndRevoke, LAUNCH_HEADERS, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** Sign out of one launch: revoke at the EHR, destroy the tokens, then a page that says so. */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const { launches, audit } = await getStore();
  const access = await authenticateLaunch(launchId, request.headers.get('cookie'), launches);
  if (access.ok) {
    await endLaunchAndRevoke(access.launch, 'signed-out', { store: launches, config: smartConfig() });
    const l = access.launch;
    await recordAudit(audit, { category: 'session', outcome: 'success', subtype: 'sign-out', actor: { fhirUser: l.fhirUser, clientId: 'housecall', issuerId: l.issuerId }, patientId: l.patientId, launchId: l.id });
  }
  return new Response(null, { status: 303, headers: { ...LAUNCH_HEADERS, location: '/signed-out' } });
}
