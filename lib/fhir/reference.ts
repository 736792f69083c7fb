/**
 * A FHIR reference read the one way the proxy trusts: relative (`Type/id`, optionally with
 * `/_history/version`) or absolute under the EHR's own FHIR base. An absolute URL anywhere else
 * (another server that happens to use the same ids), a contained (`#`) or `urn:` reference, or
 * anything malformed names nothing.
 */
export interface LocalReference {
  type: string;
  id: string;
}

const RELATIVE = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function localReference(reference: unknown, fhirBase: string): LocalReference | undefined {
  if (typeof reference !== 'string') return undefined;
  const local = belowBase(reference, fhirBase);
  return local === undefined ? undefined : parseRelative(local);
}

/** The reference relative to the EHR's base: as it is when relative, cut when absolute under `fhirBase`, undefined when absolute anywhere else. */
export function belowBase(reference: string, fhirBase: string): string | undefined {
  if (!HAS_SCHEME.test(reference)) return reference;
  const base = fhirBase.replace(/\/+$/, '');
  return reference.startsWith(`${base}/`) ? reference.slice(base.length + 1) : undefined;
}

/** `Type/id` (optionally with `/_history/version`) read; anything else is undefined. */
export function parseRelative(local: string): LocalReference | undefined {
  const m = RELATIVE.exec(local);
  return m ? { type: m[1]!, id: m[2]! } : undefined;
}
