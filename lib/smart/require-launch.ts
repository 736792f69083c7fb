import 'server-only';
import { ProxyError } from '../fhir';
import type { LaunchRecord, LaunchStore } from '../store';
import { authenticateLaunch } from './launch-access';

/** For API routes under /api/l/{launchId}: the launch this browser owns, or a 401 ProxyError. */
export async function requireLaunch(launchId: string, request: Request, store: LaunchStore): Promise<LaunchRecord> {
  const access = await authenticateLaunch(launchId, request.headers.get('cookie'), store);
  if (!access.ok) throw new ProxyError(access.reason === 'ended' ? 'launch-ended' : 'not-authenticated');
  return access.launch;
}
