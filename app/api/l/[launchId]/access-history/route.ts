import { accessVisitsCsv, recordAudit, safeTimeZone } from '@/lib/audit';
import { outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch, requirePatientSelf } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { loadAccessVisits } from '../../../../l/[launchId]/portal/access/load-visits';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ launchId: string }> };

/** The patient's access history as a CSV download (`?format=csv`, `mine=hide`, `tz` the browser's zone): the same visits as the page. */
export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { launchId } = await ctx.params;
    const url = new URL(request.url);
    if (url.searchParams.get('format') !== 'csv') throw new ProxyError('invalid-parameter', 'format must be csv');
    const store = await getStore();
    const launch = requirePatientSelf(await requireLaunch(launchId, request, store.launches));
    const visits = await loadAccessVisits(launch, store, url.searchParams.get('mine') === 'hide');
    await recordAudit(store.audit, {
      category: 'session', outcome: 'success', subtype: 'access-history-download', actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId,
    });
    return new Response(accessVisitsCsv(visits, safeTimeZone(url.searchParams.get('tz'))), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="access-history.csv"', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    });
  } catch (e) {
    return outcomeResponse(e);
  }
}
