import 'server-only';
import { ProxyError } from '../fhir';
import type { LaunchRecord, LaunchStore } from '../store';
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

/** End reasons that are the person's own doing; every other ending was decided for them. */
const OWN_ENDINGS: readonly (string | null)[] = ['signed-out'];

/** Whether a launch with this end reason was ended for the person rather than by them. Pure. */
export function isWithdrawn(endReason: string | null): boolean {
  return !OWN_ENDINGS.includes(endReason);
}
