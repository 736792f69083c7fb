import { recordAudit } from '@/lib/audit';
import { authenticateLaunch, endLaunchAndRevoke, findIssuerById, LAUNCH_HEADERS, smartConfig } from '@/lib/smart';
import { partitionId } from '@/lib/offline';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/**
 * Sign out of one launch: revoke at the EHR, destroy the tokens, then a page that says so and
 * erases the device's copy. The signed-out page is told the launch's issuer id (a registry
 * name, not a secret) so it may be framed by that EHR: signing out inside the EHR's frame must
 * end on a page the browser shows, or the wipe never runs.
 */
export async function POST(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  const { launchId } = await ctx.params;
  const { launches, audit } = await getStore();
  const access = await authenticateLaunch(launchId, request.headers.get('cookie'), launches);
  const signedOut = new URLSearchParams();
  if (access.ok) {
    await endLaunchAndRevoke(access.launch, 'signed-out', { store: launches, config: smartConfig() });
    const l = access.launch;
    await recordAudit(audit, { category: 'session', outcome: 'success', subtype: 'sign-out', actor: { fhirUser: l.fhirUser, clientId: 'housecall', issuerId: l.issuerId }, patientId: l.patientId, launchId: l.id });
    // The signed-out page erases this launch's offline partition (a hash: no PHI in the URL).
    const issuer = findIssuerById(smartConfig(), l.issuerId)?.fhirBaseUrl ?? l.issuerId;
    if (l.fhirUser && l.patientId) signedOut.set('wipe', await partitionId({ issuer, fhirUser: l.fhirUser, patient: l.patientId }));
    signedOut.set('issuer', l.issuerId);
  } else if (access.reason === 'ended' || access.reason === 'other-session') {
    // Signed out already (another tab, a second click): still a page the EHR's frame may show.
    const l = await launches.getLaunch(launchId);
    if (l) signedOut.set('issuer', l.issuerId);
  }
  const query = signedOut.toString();
  const location = query ? `/signed-out?${query}` : '/signed-out';
  // Clear-Site-Data "cache" only: "storage" and "cookies" would also end every other launch open in
  // this browser (they share the origin, and in an EHR frame the partition); this launch's own
  // data is erased by the signed-out page's targeted wipe.
  return new Response(null, { status: 303, headers: { ...LAUNCH_HEADERS, location, 'clear-site-data': '"cache"' } });
}
