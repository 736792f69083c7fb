import 'server-only';
import { NAMEABLE_TYPES } from '@/lib/fhir';
import { allows, isPatientSelf, parseGrantedScopes } from '@/lib/smart';
import { loadLaunchForPage } from '../launch-context';

/**
 * The checks every visit page makes: a live launch of this browser, of the patient themself.
 * Returns what the page needs (its source name, issuer, and the people and places the launch
 * may read by name), or the reason to show instead.
 */
export async function loadVisitPage(launchId: string) {
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return { ok: false as const, reason: access.reason };
  if (!isPatientSelf(access.launch)) return { ok: false as const, reason: 'patient-only' as const };
  const grants = parseGrantedScopes(access.launch.scope);
  return { ok: true as const, source, issuerId: access.launch.issuerId, nameTypes: [...NAMEABLE_TYPES].filter((t) => allows(grants, t, 'r')) };
}
