import 'server-only';
import { ProxyError } from '../fhir';
import type { LaunchRecord, LaunchStore } from '../store';
import { isPatientSelf } from './decide-user';
import { authenticateLaunch } from './launch-access';

/**
 * For API routes under /api/l/{launchId}: the launch this browser owns, or a 401 ProxyError.
 * With `withdrawn`, a launch ended other than by the person's own sign-out (refresh refused,
 * access expired, ended by support) answers `launch-withdrawn` instead of `launch-ended`: the
 * sync directive uses it to tell the client to erase its copy (issue 5). A sign-out has already
 * erased it through the signed-out page.
 */
export async function requireLaunch(launchId: string, request: Request, store: LaunchStore, options: { withdrawn?: boolean } = {}): Promise<LaunchRecord> {
  const access = await authenticateLaunch(launchId, request.headers.get('cookie'), store);
  if (!access.ok) throw new ProxyError(access.reason === 'ended' ? (options.withdrawn && isWithdrawn(access.endReason) ? 'launch-withdrawn' : 'launch-ended') : 'not-authenticated');
  return access.launch;
}

/** Endings that lapsed without anyone deciding to end access: the person's unsent work may be kept for their next launch. */
export const LAPSED_ENDINGS: readonly string[] = ['refresh-failed', 'access-expired', 'token-rejected'];

/** How long after a lapse the ended launch may still hand over its unsent work. */
export const LAPSED_HANDOVER_MS = 60 * 60_000;

/**
 * For the one thing an ended launch may still do: hand its unsent changes over to be kept
 * (app/api/l/{launchId}/sync/held). The browser must own the launch, and the launch must have
 * lapsed (refresh refused, access expired) within the last hour; one ended by its own sign-out
 * or by support, or one still running, is refused with `hold-refused`. Tokens are not needed.
 */
export async function requireLapsedLaunch(launchId: string, request: Request, store: LaunchStore, now: number = Date.now()): Promise<LaunchRecord> {
  const access = await authenticateLaunch(launchId, request.headers.get('cookie'), store);
  if (access.ok) throw new ProxyError('hold-refused', 'the launch is still running: send the changes instead');
  if (access.reason !== 'ended') throw new ProxyError('not-authenticated');
  const launch = await store.getLaunch(launchId);
  if (!launch || !LAPSED_ENDINGS.includes(access.endReason ?? '') || launch.endedAt === null || now - launch.endedAt > LAPSED_HANDOVER_MS) {
    throw new ProxyError('hold-refused', 'only a launch that lapsed within the hour can hand over its changes');
  }
  return launch;
}

/** End reasons that are the person's own doing; every other ending was decided for them. */
const OWN_ENDINGS: readonly (string | null)[] = ['signed-out'];

/** Whether a launch with this end reason was ended for the person rather than by them. Pure. */
export function isWithdrawn(endReason: string | null): boolean {
  return !OWN_ENDINGS.includes(endReason);
}

/**
 * The gate of every patient-only API (consents, share links, held-change review and the like):
 * the launch's verified identity must be the patient in context (`isPatientSelf`, decide-user.ts),
 * or a 403 `patient-only` OperationOutcome. A clinician, a caregiver or a launch whose identity
 * does not match is refused the same way, whatever its workflow says.
 */
export function requirePatientSelf(launch: LaunchRecord): LaunchRecord & { fhirUser: string; patientId: string } {
  if (!isPatientSelf(launch)) throw new ProxyError('patient-only');
  return launch as LaunchRecord & { fhirUser: string; patientId: string };
}
