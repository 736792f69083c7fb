import 'server-only';
import { headers } from 'next/headers';
import { authenticateLaunch, findIssuerById, smartConfig, type LaunchAccess } from '@/lib/smart';
import { getStore } from '@/lib/store';

/** Authenticates the launch in the URL for a page and names its source system. */
export async function loadLaunchForPage(launchId: string): Promise<{ access: LaunchAccess; source: string }> {
  const { launches } = await getStore();
  const access = await authenticateLaunch(launchId, (await headers()).get('cookie'), launches);
  const source = access.ok ? (findIssuerById(smartConfig(), access.launch.issuerId)?.name ?? access.launch.issuerId) : '';
  return { access, source };
}
