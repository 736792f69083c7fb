import { recordAudit } from '@/lib/audit';
import { serverEnv } from '@/lib/env';
import { completeLaunch, hashState, LAUNCH_HEADERS, LaunchError, launchErrorPage, readBrowserSession, restartUrlForCallback, smartConfig } from '@/lib/smart';
import { getStore } from '@/lib/store';
import { metrics } from '@/lib/telemetry';
import { recordAtEhr } from '../api/l/[launchId]/consents/record-at-ehr';

export const dynamic = 'force-dynamic';

/** The OAuth callback: validate, exchange, verify, then a clean URL with no code or state. */
export async function GET(request: Request): Promise<Response> {
  const callbackUrl = new URL(request.url);
  const store = await getStore();
  const deps = { config: smartConfig(), store: store.launches };
  const browserSessionId = await readBrowserSession(request.headers.get('cookie'));
  // Which EHR this callback answers, for support's list of failed launches (read before the state is used up).
  const state = callbackUrl.searchParams.get('state');
  const pending = state ? await store.launches.peekPending(hashState(state)).catch(() => undefined) : undefined;
  try {
    const launch = await completeLaunch({ callbackUrl, browserSessionId }, deps);
    await recordAudit(store.audit, {
      category: 'launch', outcome: 'success', subtype: launch.standalone ? 'standalone-launch' : 'ehr-launch',
      actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId }, patientId: launch.patientId, launchId: launch.id,
    });
    metrics.launches.inc({ issuer: launch.issuerId, outcome: 'completed' });
    // A consent the EHR did not take last time is retried now, without holding up the launch.
    void recordAtEhr(store, launch);
    // The workflow came from who signed in (decide-user.ts), never from the route the launch took.
    // A portal part that asked again for its scopes gets the person back to it (a configured part name, never a URL).
    const target = launch.workflow === 'patient' ? `/l/${launch.id}/portal${launch.returnTo ? `/${launch.returnTo}` : ''}` : `/l/${launch.id}/chart`;
    return new Response(null, { status: 303, headers: { ...LAUNCH_HEADERS, location: target } });
  } catch (e) {
    const newWindowUrl = e instanceof LaunchError && e.code === 'session_missing' ? await restartUrlForCallback(callbackUrl, serverEnv().HOUSECALL_URL, deps) : undefined;
    metrics.launches.inc({ issuer: 'unknown', outcome: e instanceof LaunchError ? e.code : 'unexpected' });
    return launchErrorPage(e, { browserSessionId, issuerId: pending?.issuerId ?? null }, async () => store.support, { newWindowUrl });
  }
}
