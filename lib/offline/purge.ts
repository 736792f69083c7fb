/**
 * Purging cached server data that a person may no longer see (DESIGN §1 Offline: consent
 * revocation). Works on one partition's store (one issuer, user and patient), so a purge for one
 * patient never touches another's rows. Only server copies go (`clinical` and `reference`):
 * a draft carrying the person's unsent change and operational state (outbox, cursors) stay,
 * so nothing the person typed is lost; their outbox entries are judged separately by sync.
 *
 * A record goes when its row type is a purged resource type, when it is a Bundle (a cached
 * search answer) holding such a resource, or when it, or a resource in it, carries a security
 * label the caller's `labelled` predicate says is no longer permitted.
 */
import type { RecordRef, RecordStore } from './record-store';

/** A security label as found in `meta.security`. */
export interface PurgeLabel {
  system?: string;
  code?: string;
}

/** What to purge. */
export interface PurgeFilter {
  /** FHIR resource types no longer permitted. */
  resourceTypes?: readonly string[];
  /** Whether data carrying these labels is no longer permitted (for example lib/consent's `mustRedact`). */
  labelled?: (labels: readonly PurgeLabel[]) => boolean;
}

interface ResourceLike {
  resourceType?: unknown;
  meta?: { security?: unknown };
  entry?: unknown;
}

function resourcesIn(value: unknown): ResourceLike[] {
  if (!value || typeof value !== 'object') return [];
  const r = value as ResourceLike;
  if (r.resourceType !== 'Bundle' || !Array.isArray(r.entry)) return [r];
  const inner = (r.entry as { resource?: unknown }[]).flatMap((e) => (e?.resource && typeof e.resource === 'object' ? [e.resource as ResourceLike] : []));
  return [r, ...inner];
}

function labelsOf(r: ResourceLike): PurgeLabel[] {
  return Array.isArray(r.meta?.security) ? (r.meta.security as PurgeLabel[]).filter((l) => typeof l?.code === 'string') : [];
}

/** Whether one stored record falls under `filter`. Pure. */
export function matchesPurge(record: { type: string; value: unknown }, filter: PurgeFilter): boolean {
  const types = new Set(filter.resourceTypes ?? []);
  if (types.has(record.type)) return true;
  return resourcesIn(record.value).some((r) => (typeof r.resourceType === 'string' && types.has(r.resourceType)) || (filter.labelled !== undefined && labelsOf(r).length > 0 && filter.labelled(labelsOf(r))));
}

/**
 * Deletes, in one transaction, every server copy in `store` that `filter` covers, expired copies
 * included. Returns how many records went. Drafts and operational records are never touched.
 */
export async function purgeRecords(store: RecordStore, filter: PurgeFilter): Promise<number> {
  if ((filter.resourceTypes?.length ?? 0) === 0 && filter.labelled === undefined) return 0;
  const candidates = [...(await store.list({ cls: 'clinical' }, { expired: 'mark' })), ...(await store.list({ cls: 'reference' }, { expired: 'mark' }))];
  const remove: RecordRef[] = candidates.filter((r) => matchesPurge(r, filter)).map((r) => ({ type: r.type, id: r.id }));
  if (remove.length > 0) await store.write({ remove });
  return remove.length;
}
