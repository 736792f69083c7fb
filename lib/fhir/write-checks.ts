import type { Coding, Resource } from '@medplum/fhirtypes';
import { PATIENT_TYPES, SHARED_TYPES } from './compartment';
import { ProxyError } from './outcome';
import { belowBase, parseRelative } from './reference';

/**
 * Resources that belong to no patient and may be named by a write (beyond the types the proxy
 * serves as shared): what a clinical resource points at for who, where and with what.
 */
const NON_PATIENT_TYPES = new Set([...SHARED_TYPES, 'Device', 'Substance', 'HealthcareService', 'Endpoint']);

/** A body naming more resources than this is not one the app writes. */
const MAX_REFERENCES = 20;

function referencesIn(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > 32) throw new ProxyError('invalid-body', 'nested too deeply');
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, out, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'reference' && typeof v === 'string') out.add(v);
    else if (key !== 'contained') referencesIn(v, out, depth + 1);
  }
}

/**
 * Every reference a write's body makes (`author`, `basedOn`, `relatesTo`, `partOf`,
 * `derivedFrom`, …), judged before the write leaves: the launch's own Patient, a contained
 * resource (`#x`) and resources that belong to no patient (Practitioner, Organization,
 * Medication…) pass; another Patient, a relative or group, an absolute URL to another server or a
 * placeholder (`urn:uuid:`) is `outside-compartment`. References to resources of a patient
 * compartment type are returned as `Type/id`: the caller reads each from the EHR and refuses the
 * write unless it lies in the launch patient's compartment.
 */
export function referencesToVerify(body: Resource, ctx: { patientId: string; fhirBase: string }): string[] {
  const all = new Set<string>();
  referencesIn(body, all);
  const verify = new Set<string>();
  for (const raw of all) {
    if (raw.startsWith('#')) continue;
    const local = belowBase(raw, ctx.fhirBase);
    if (local === undefined) throw new ProxyError('outside-compartment', 'a reference outside the EHR');
    const parsed = parseRelative(local);
    if (!parsed) throw new ProxyError('outside-compartment', 'an unreadable reference');
    const { type, id } = parsed;
    if (type === 'Patient') {
      if (id !== ctx.patientId) throw new ProxyError('outside-compartment', 'a reference to another patient');
    } else if (NON_PATIENT_TYPES.has(type)) {
      continue;
    } else if (type in PATIENT_TYPES) {
      verify.add(`${type}/${id}`);
    } else {
      throw new ProxyError('outside-compartment', `a reference to ${type}`);
    }
  }
  if (verify.size > MAX_REFERENCES) throw new ProxyError('invalid-body', 'too many references');
  return [...verify];
}

function labelKeys(resource: Resource | null | undefined): string[] {
  const labels: Coding[] = Array.isArray(resource?.meta?.security) ? resource.meta.security : [];
  return [...new Set(labels.map((l) => `${l?.system ?? ''}|${l?.code ?? ''}`))].sort();
}

/**
 * Security labels are not the client's to set (R4 Resource.meta.security; a label added by a
 * client could hide data from every treating clinician, one removed could expose it). A create
 * carries none; an update keeps the stored copy's labels: a body without `meta.security` gets
 * them, a body that adds or removes any is refused with `security-label-change`.
 */
export function keepSecurityLabels<T extends Resource>(body: T, stored: Resource | null): T {
  const sent = body.meta?.security;
  const keep = Array.isArray(stored?.meta?.security) ? stored.meta.security : [];
  if (sent === undefined) return keep.length === 0 ? body : { ...body, meta: { ...body.meta, security: keep } };
  if (labelKeys(body).join('\n') !== labelKeys(stored).join('\n')) throw new ProxyError('security-label-change');
  return body;
}
