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
  let local = reference;
  if (HAS_SCHEME.test(reference)) {
    const base = fhirBase.replace(/\/+$/, '');
    if (!reference.startsWith(`${base}/`)) return undefined;
    local = reference.slice(base.length + 1);
  }
  const m = RELATIVE.exec(local);
  return m ? { type: m[1]!, id: m[2]! } : undefined;
}
