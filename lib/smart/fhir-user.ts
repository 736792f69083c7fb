/**
 * The signed-in user's FHIR reference (App Launch 2.x §2.0.10, the id_token `fhirUser` claim),
 * brought to one spelling at the launch so that consent actor matching, the patient's own-record
 * check, audit and everything keyed by user compare like with like. Pure.
 */

/** Resource types a SMART `fhirUser` may name (App Launch 2.x, "Scopes for requesting identity data"). */
export const FHIR_USER_TYPES = ['Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Person'] as const;
export type FhirUserType = (typeof FHIR_USER_TYPES)[number];

const ID = /^[A-Za-z0-9\-.]{1,64}$/;

export type FhirUserResult =
  | { ok: true; reference: string; type: FhirUserType; id: string }
  | { ok: false; reason: 'malformed' | 'other-server' | 'unsupported-type' };

function typed(type: string, id: string): FhirUserResult {
  if (!ID.test(id)) return { ok: false, reason: 'malformed' };
  if (!(FHIR_USER_TYPES as readonly string[]).includes(type)) return { ok: false, reason: 'unsupported-type' };
  return { ok: true, reference: `${type}/${id}`, type: type as FhirUserType, id };
}

/**
 * Normalises a `fhirUser` claim against the issuer's FHIR base:
 * - a relative `Type/id` is kept as it is;
 * - an absolute URL directly under `fhirBaseUrl` (Epic and Oracle Health send these) becomes
 *   `Type/id`; scheme and host compare case-insensitively, the path exactly;
 * - an absolute URL anywhere else is refused (`other-server`): a user on another server is not
 *   a user of this EHR, and Housecall never fetches it;
 * - only Patient, Practitioner, PractitionerRole, RelatedPerson and Person, with an id in FHIR
 *   id syntax; no version, query or fragment.
 */
export function normalizeFhirUser(claim: string, fhirBaseUrl: string): FhirUserResult {
  if (claim.length === 0 || claim.length > 2048) return { ok: false, reason: 'malformed' };
  const relative = /^([A-Za-z]+)\/([^/]+)$/.exec(claim);
  if (relative) return typed(relative[1]!, relative[2]!);
  let url: URL;
  let base: URL;
  try {
    url = new URL(claim);
    base = new URL(fhirBaseUrl);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'malformed' };
  if (url.search || url.hash || url.username || url.password) return { ok: false, reason: 'malformed' };
  const basePath = base.pathname.replace(/\/+$/, '');
  if (url.origin !== base.origin || !url.pathname.startsWith(`${basePath}/`)) return { ok: false, reason: 'other-server' };
  const rest = url.pathname.slice(basePath.length + 1).split('/');
  if (rest.length !== 2) return { ok: false, reason: 'malformed' };
  return typed(rest[0]!, rest[1]!);
}
