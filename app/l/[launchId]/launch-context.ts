import 'server-only';
import { headers } from 'next/headers';
import { cache } from 'react';
import { directiveForLaunch } from '@/lib/consent/launch-directive';
import { authenticateLaunch, findIssuerById, loadSmartStyle, smartConfig, type LaunchAccess } from '@/lib/smart';
import { getStore, type LaunchRecord } from '@/lib/store';

/**
 * Authenticates the launch in the URL for a page, names its source system, and loads the
 * EHR's validated styling as CSS custom properties. Memoised per request (React `cache`), so a
 * layout and its page authenticate once.
 */
export const loadLaunchForPage = cache(loadLaunch);

async function loadLaunch(launchId: string): Promise<{ access: LaunchAccess; source: string; style: Record<string, string> }> {
  const { launches } = await getStore();
  const access = await authenticateLaunch(launchId, (await headers()).get('cookie'), launches);
  if (!access.ok) return { access, source: '', style: {} };
  const issuer = findIssuerById(smartConfig(), access.launch.issuerId);
  const style = issuer ? await loadSmartStyle(access.launch.smartStyleUrl, issuer) : {};
  return { access, source: issuer?.name ?? access.launch.issuerId, style };
}

/**
 * The version of the consent directive (lib/consent/launch-directive.ts) the page's answers are
 * judged under, for the sync provider: its first round then makes the views ask again only if
 * the patient's choices changed since (components/sync/open-sync-engine.ts).
 */
export async function servedConsentVersion(launch: LaunchRecord): Promise<string> {
  const { consents } = await getStore();
  return (await directiveForLaunch(launch, consents)).version;
}
