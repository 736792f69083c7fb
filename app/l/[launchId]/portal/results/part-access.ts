import 'server-only';
import { findIssuerById, portalPartAccess, smartConfig, type LaunchAccess } from '@/lib/smart';

/**
 * Whether this launch may show the results part (laboratory Observations), and where to ask
 * again when not: a new standalone launch of the same issuer that returns to the results.
 */
export function resultsAccess(access: Extract<LaunchAccess, { ok: true }>): { shared: boolean; askAgainHref: string | null } {
  const issuer = findIssuerById(smartConfig(), access.launch.issuerId);
  if (!issuer) return { shared: false, askAgainHref: null };
  const { shared } = portalPartAccess(issuer, 'results', access.launch.scope, 'laboratory');
  const askAgainHref = issuer.standalone ? `/launch?iss=${encodeURIComponent(issuer.fhirBaseUrl)}&part=results` : null;
  return { shared, askAgainHref };
}
