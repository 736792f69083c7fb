/**
 * Content identity for resources from servers that do not version them (Epic often omits
 * `meta.versionId`): canonical JSON (sorted keys) of the resource without `meta`, hashed with
 * SHA-256. Two copies with the same content compare equal whatever their key order or
 * lastUpdated.
 */
import type { Resource } from '@medplum/fhirtypes';

/** JSON with object keys sorted at every level; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/** The resource without server bookkeeping (`meta`). */
export function withoutMeta<T extends Resource>(resource: T): Omit<T, 'meta'> {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

/** True when two resources have the same content, ignoring `meta` and key order. */
export function sameContent(a: Resource | undefined | null, b: Resource | undefined | null): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(withoutMeta(a)) === canonicalJson(withoutMeta(b));
}

/** Hashes a resource's content (injected so tests and workers can swap the implementation). */
export type ContentHasher = (resource: Resource) => Promise<string>;

/** SHA-256 of the canonical JSON without meta, as `sha256:<hex>`. */
export const contentHash: ContentHasher = async (resource) => {
  const bytes = new TextEncoder().encode(canonicalJson(withoutMeta(resource)));
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return `sha256:${Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')}`;
};

/** What identifies this copy of a resource: its versionId, else its content hash. */
export async function versionKey(resource: Resource, hash: ContentHasher = contentHash): Promise<string> {
  return resource.meta?.versionId ?? (await hash(resource));
}
