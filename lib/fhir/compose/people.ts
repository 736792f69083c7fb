import type { Bundle } from '@medplum/fhirtypes';
import { arr, namesInUse, obj, str } from './datatypes';

/**
 * People and places named by reference. Real exports often give `{ reference: "Practitioner/2916ba6b-…" }`
 * with no `display`; a clinician must never be shown `Type/id`. A view names a reference by
 * its `display`, else by the name of the resource it points at (found in the Bundle's
 * `_include`d entries or read through the proxy by the view's hook, see `NameDirectory`),
 * else in words ("a clinician, name not available"). Everything here is pure: the hooks in
 * components/fhir do the reading.
 */

/** `Type/id` → the resource's name, or null when it was asked for and cannot be had. */
export type NameDirectory = ReadonlyMap<string, string | null>;

/** Types whose names a view shows and reads when a reference carries no display. */
export const NAMEABLE_TYPES: ReadonlySet<string> = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location']);

const WORDS: Record<string, string> = {
  Practitioner: 'a clinician',
  PractitionerRole: 'a clinician',
  Organization: 'an organization',
  Location: 'a location',
  Patient: 'the patient',
  RelatedPerson: 'a related person',
  Device: 'a device',
  CareTeam: 'a care team',
  HealthcareService: 'a service',
};

const RELATIVE = /(?:^|\/)([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** `Type/id` of a literal reference (relative or absolute), or undefined (contained, urn, logical). */
export function referenceKey(ref: unknown): string | undefined {
  const reference = str(obj(ref)?.reference);
  if (!reference || reference.startsWith('#') || reference.startsWith('urn:')) return undefined;
  const m = RELATIVE.exec(reference);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

function typeOf(ref: Record<string, unknown>): string | undefined {
  return referenceKey(ref)?.split('/')[0] ?? str(ref.type) ?? /^([A-Z][A-Za-z]+)\//.exec(str(ref.reference) ?? '')?.[1];
}

/**
 * How a view names a reference: its display, else the name found for it, else words that say
 * who it is without a name ("a clinician, name not available"). Never `Type/id`. Undefined
 * only when there is no reference at all.
 */
export function referenceName(ref: unknown, names?: NameDirectory): string | undefined {
  const r = obj(ref);
  if (!r) return undefined;
  const display = str(r.display)?.trim();
  if (display) return display;
  const key = referenceKey(r);
  const found = key ? names?.get(key) : undefined;
  if (found) return found;
  if (!str(r.reference) && !obj(r.identifier) && !str(r.type)) return undefined;
  const type = typeOf(r);
  return `${(type && WORDS[type]) ?? 'someone'}, name not available`;
}

/** The name of a Practitioner, PractitionerRole, Organization or Location, for people. */
export function nameOfResource(resource: unknown): string | undefined {
  const r = obj(resource);
  switch (r?.resourceType) {
    case 'Practitioner': {
      const list = arr<Record<string, unknown>>(r.name).filter((n) => obj(n));
      const n = namesInUse(list)[0];
      if (!n) return undefined;
      const text = str(n.text)?.trim();
      if (text) return text;
      const parts = [...arr<unknown>(n.prefix), ...arr<unknown>(n.given), n.family].filter((p): p is string => typeof p === 'string' && p.length > 0);
      return parts.length ? parts.join(' ') : undefined;
    }
    case 'PractitionerRole':
      return str(obj(r.practitioner)?.display) ?? str(obj(r.organization)?.display) ?? arr<Record<string, unknown>>(r.code).map((c) => str(c?.text)).find(Boolean);
    case 'Organization':
    case 'Location':
      return str(r.name)?.trim() || undefined;
    default:
      return undefined;
  }
}

/** Walks a resource for references without display to a nameable type (contained resources skipped). */
function collect(v: unknown, out: Set<string>, depth: number): void {
  if (depth > 8) return;
  if (Array.isArray(v)) {
    for (const x of v) collect(x, out, depth + 1);
    return;
  }
  const o = obj(v);
  if (!o) return;
  if (typeof o.reference === 'string' && !str(o.display)) {
    const key = referenceKey(o);
    if (key && NAMEABLE_TYPES.has(key.split('/')[0]!)) out.add(key);
  }
  for (const [k, x] of Object.entries(o)) if (k !== 'contained' && typeof x === 'object') collect(x, out, depth + 1);
}

function entries(bundle: unknown): Record<string, unknown>[] {
  return arr<unknown>(obj(bundle)?.entry).flatMap((e) => (obj(obj(e)?.resource) ? [obj(obj(e)?.resource)!] : []));
}

/** Names the Bundles already carry: their `_include`d (or matched) people and places. */
export function namesInBundles(bundles: (Bundle | undefined)[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of bundles.flatMap(entries)) {
    const type = str(r.resourceType);
    const id = str(r.id);
    const name = type && id && NAMEABLE_TYPES.has(type) ? nameOfResource(r) : undefined;
    if (name) out.set(`${type}/${id}`, name);
  }
  return out;
}

/**
 * The `Type/id`s a view must read to name everyone its Bundles mention without a display,
 * sorted and without those the Bundles already name, of the types the launch may read (a read
 * the scopes refuse is never sent: refusals count towards unusual-access alerts); capped so one
 * view never fans out.
 */
export function referencesToName(bundles: (Bundle | undefined)[], readable: readonly string[] = [...NAMEABLE_TYPES], max = 50): string[] {
  const wanted = new Set<string>();
  for (const r of bundles.flatMap(entries)) collect(r, wanted, 0);
  const known = namesInBundles(bundles);
  return [...wanted].filter((k) => !known.has(k) && readable.includes(k.split('/')[0]!)).sort().slice(0, max);
}
