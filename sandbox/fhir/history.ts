/**
 * The server's own change log. MemoryRepository keeps per-resource history only while a
 * resource exists, flips its order between calls and has no type- or system-level history;
 * this log records every create, update and delete (in order, with a sequence number) so
 * that `_history` at every level, `_since`, vread of deleted resources and counter versionIds
 * all come from one place.
 */
import type { Resource } from '@medplum/fhirtypes';

export type ChangeMethod = 'POST' | 'PUT' | 'DELETE';

export interface ChangeEntry {
  /** Position in the log, from 1. */
  seq: number;
  method: ChangeMethod;
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdated: string;
  /** The stored version; for a DELETE, the last version before the delete (never sent). */
  resource: Resource;
}

export interface ChangeQuery {
  resourceType?: string;
  id?: string;
  /** ISO instant: only entries at or after it. */
  since?: string;
  /** Only entries with seq <= this (a stable snapshot while paging). */
  upToSeq?: number;
}

export class ChangeLog {
  private readonly entries: ChangeEntry[] = [];
  private readonly byKey = new Map<string, ChangeEntry[]>();
  private lastMs = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get lastSeq(): number {
    return this.entries.length;
  }

  /** A non-decreasing server timestamp (equal stamps are allowed; `_since` is inclusive). */
  stamp(): string {
    this.lastMs = Math.max(this.lastMs, this.now());
    return new Date(this.lastMs).toISOString();
  }

  /** The newest entry for `Type/id`, deleted or not. */
  latest(resourceType: string, id: string): ChangeEntry | undefined {
    const list = this.byKey.get(`${resourceType}/${id}`);
    return list?.[list.length - 1];
  }

  /** True when `Type/id` exists now (its newest entry is not a delete). */
  exists(resourceType: string, id: string): boolean {
    const last = this.latest(resourceType, id);
    return last !== undefined && last.method !== 'DELETE';
  }

  nextVersion(resourceType: string, id: string): string {
    const last = this.latest(resourceType, id);
    return String(last ? Number(last.versionId) + 1 : 1);
  }

  version(resourceType: string, id: string, versionId: string): ChangeEntry | undefined {
    return this.byKey.get(`${resourceType}/${id}`)?.find((e) => e.versionId === versionId);
  }

  record(method: ChangeMethod, resource: Resource & { id: string }, versionId: string, lastUpdated: string): ChangeEntry {
    const entry: ChangeEntry = {
      seq: this.entries.length + 1,
      method,
      resourceType: resource.resourceType,
      id: resource.id,
      versionId,
      lastUpdated,
      resource,
    };
    this.entries.push(entry);
    const key = `${resource.resourceType}/${resource.id}`;
    const list = this.byKey.get(key);
    if (list) list.push(entry);
    else this.byKey.set(key, [entry]);
    return entry;
  }

  /** Matching entries, newest first. */
  query(q: ChangeQuery): ChangeEntry[] {
    const source = q.resourceType && q.id ? (this.byKey.get(`${q.resourceType}/${q.id}`) ?? []) : this.entries;
    const sinceMs = q.since === undefined ? undefined : Date.parse(q.since);
    const out: ChangeEntry[] = [];
    for (let i = source.length - 1; i >= 0; i--) {
      const e = source[i];
      if (!e) continue;
      if (q.upToSeq !== undefined && e.seq > q.upToSeq) continue;
      if (sinceMs !== undefined && Date.parse(e.lastUpdated) < sinceMs) break;
      if (q.resourceType && e.resourceType !== q.resourceType) continue;
      out.push(e);
    }
    return out;
  }
}
