import 'server-only';
import { logger } from '../telemetry';
import { normalizeFhirUser } from './fhir-user';

/** How long the launch waits for the EHR to answer the role's read. */
export const ACTS_FOR_TIMEOUT_MS = 5_000;

/**
 * The Practitioner behind a PractitionerRole (`PractitionerRole.practitioner`), as `Practitioner/{id}`;
 * undefined when the role names none on this server, or names it in a way that cannot be trusted
 * (another server, another type, a malformed id). Pure.
 */
export function practitionerOfRole(role: unknown, fhirBaseUrl: string): string | undefined {
  const r = role as { resourceType?: unknown; practitioner?: { reference?: unknown } } | null;
  if (r?.resourceType !== 'PractitionerRole' || typeof r.practitioner?.reference !== 'string') return undefined;
  const practitioner = normalizeFhirUser(r.practitioner.reference, fhirBaseUrl);
  return practitioner.ok && practitioner.type === 'Practitioner' ? practitioner.reference : undefined;
}

/**
 * For a user the EHR names by a role (`fhirUser` = `PractitionerRole/{id}`): reads that role with
 * the launch's own access token and returns the Practitioner it belongs to, so a patient's
 * choices about that Practitioner hold for them (lib/consent load-context.ts). Null when the role
 * cannot be read (no scope for it, an error, a timeout) or names no Practitioner: such a user's
 * identity is then treated as unproven wherever a consent names someone, which fails closed.
 */
export async function resolveActsFor(
  input: { issuerId: string; fhirBaseUrl: string; fhirUser: string; accessToken: string },
  fetchImpl: typeof fetch = fetch,
): Promise<string | null> {
  if (!input.fhirUser.startsWith('PractitionerRole/')) return null;
  const url = `${input.fhirBaseUrl.replace(/\/+$/, '')}/${input.fhirUser}`;
  try {
    const res = await fetchImpl(url, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${input.accessToken}` },
      signal: AbortSignal.timeout(ACTS_FOR_TIMEOUT_MS),
      redirect: 'error',
    });
    const practitioner = res.ok ? practitionerOfRole(await res.json(), input.fhirBaseUrl) : undefined;
    if (practitioner) return practitioner;
    logger.warn({ event: 'launch.role_unresolved', issuer: input.issuerId, status: res.status }, 'the signed-in role names no practitioner Housecall could read');
  } catch (e) {
    logger.warn({ event: 'launch.role_unresolved', issuer: input.issuerId, reason: (e as Error).name }, 'the signed-in role could not be read');
  }
  return null;
}
