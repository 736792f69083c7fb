import { recordAudit } from '@/lib/audit';
import { directiveForLaunch } from '@/lib/consent/launch-directive';
import { outcomeResponse } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/**
 * What this launch's client may no longer hold, asked once per sync round (lib/sync
 * consent-sync.ts): a version and the types, labels and writes the patient's consents now deny
 * for this launch's actor and purpose. An endpoint rather than a header on every proxy answer:
 * the sync round asks before it uploads, so a revoked write is held before it is sent, and the
 * judgement runs once per round instead of on every read. Identifiers and codes only.
 *
 * `wipe: true` when the actor may see nothing of the patient any more; a launch ended for the
 * person (refresh refused, access expired, support) answers 401 `launch-withdrawn`, which the
 * client also takes as "erase" (issue 5); its own sign-out stays `launch-ended`. With `wipe`,
 * changes a lapsed launch of this user left with the server for this patient (sync/held) go too:
 * the patient's choices refuse them every write.
 */
export async function GET(request: Request, ctx: { params: Promise<{ launchId: string }> }): Promise<Response> {
  try {
    const { launchId } = await ctx.params;
    const store = await getStore();
    const launch = await requireLaunch(launchId, request, store.launches, { withdrawn: true });
    // Judged for the same purpose of use and break-glass limits as the proxy (the issuer's configuration).
    const directive = await directiveForLaunch(launch, store.consents);
    if (directive.wipe && launch.patientId && launch.fhirUser) {
      const discarded = await store.held.discardAll({ issuerId: launch.issuerId, fhirUser: launch.fhirUser, patientId: launch.patientId });
      if (discarded > 0) {
        await recordAudit(store.audit, {
          category: 'session', outcome: 'success', subtype: 'sync-changes-discarded', outcomeCode: `count:${discarded}`,
          actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId }, patientId: launch.patientId, launchId: launch.id,
        });
      }
    }
    return Response.json(directive, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return outcomeResponse(e);
  }
}
