/**
 * Conflicts after a 412 (the server's copy moved on since the edit was made).
 *
 * Model (DESIGN §1 Sync): Patient demographics are merged three ways from the stored base copy.
 * Each top-level element is one unit, except the demographic lists (telecom, address, name,
 * communication), whose entries are units matched by meaning (list-keys.ts); entries that share
 * a meaning (two home phones) are one unit together, never matched by position among equals. For each unit: if
 * only one side changed it, that side wins; if both made the same change, fine; if both changed
 * it differently, that unit is a conflict and the entry goes to `needs-review`. Clinical
 * resources are never merged: a wrong automatic merge of a medication or an allergy is a safety
 * event, a review is a few seconds of a clinician's time.
 *
 * Resolutions (keep theirs, keep mine re-based on the server's version, or an edited copy) each
 * return the outbox event to apply and a plain audit record for the server to store.
 */
import type { Patient, Resource } from '@medplum/fhirtypes';
import { sameContent } from './content-hash';
import { deepEqual, diffFields, type FieldDiff } from './diff-fields';
import { DEMOGRAPHIC_LISTS, LIST_KEYS } from './list-keys';
import type { OutboxEntry, OutboxEvent } from './outbox';

/** A merged resource to send, or the fields that need a person. */
export type MergeResult<T extends Resource> = { kind: 'merged'; resource: T } | { kind: 'conflict'; fields: FieldDiff[] };

const BOOKKEEPING = new Set(['resourceType', 'id', 'meta', 'text']);

/** One unit, three ways. `undefined` means absent. */
function mergeUnit(b: unknown, m: unknown, t: unknown): { ok: true; value: unknown } | { ok: false } {
  if (deepEqual(m, b)) return { ok: true, value: t };
  if (deepEqual(t, b) || deepEqual(m, t)) return { ok: true, value: m };
  return { ok: false };
}

/** Entries of a list grouped by meaning key, in list order. */
function grouped(list: readonly unknown[], keyFn: (e: unknown) => string): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const entry of list) {
    const key = keyFn(entry);
    out.set(key, [...(out.get(key) ?? []), entry]);
  }
  return out;
}

/**
 * One demographic list, three ways. Entries with a meaning key that only one entry holds on
 * every side are merged entry by entry. Where several entries share a key on any side (two home
 * phones), nothing says which of them is which, so position among equals would be a guess that
 * can bring a deleted entry back or keep one twice: the group is merged as one unit instead, and
 * if both sides changed it, it goes to review.
 */
function mergeList(field: string, b: unknown[], m: unknown[], t: unknown[], conflicts: FieldDiff[]): unknown[] {
  if (deepEqual(t, b)) return m;
  if (deepEqual(m, b)) return t;
  const keyFn = LIST_KEYS[field]!;
  const [bg, mg, tg] = [grouped(b, keyFn), grouped(m, keyFn), grouped(t, keyFn)];
  // Surviving groups keep the base order; additions follow, ordered by key, so the result does
  // not depend on which side is "mine".
  const added = [...new Set([...mg.keys(), ...tg.keys()])].filter((k) => !bg.has(k)).sort();
  const out: unknown[] = [];
  for (const key of [...bg.keys(), ...added]) {
    const [bs, ms, ts] = [bg.get(key) ?? [], mg.get(key) ?? [], tg.get(key) ?? []];
    if (bs.length <= 1 && ms.length <= 1 && ts.length <= 1) {
      const unit = mergeUnit(bs[0], ms[0], ts[0]);
      if (!unit.ok) conflicts.push({ path: `${field}[${key}]`, base: bs[0], mine: ms[0], theirs: ts[0] });
      else if (unit.value !== undefined) out.push(unit.value);
      continue;
    }
    // Only one side changed the group: that side's entries. Both changed it, even in the same
    // way (each deleted "one of the two A"s: the same one, or one each?): review.
    if (deepEqual(ms, bs)) out.push(...ts);
    else if (deepEqual(ts, bs)) out.push(...ms);
    else conflicts.push({ path: `${field}[${key}]`, base: bs, mine: ms, theirs: ts });
  }
  return out;
}

/**
 * Three-way merge of a Patient. The result carries the server's `id` and `meta` (so it is sent
 * with `If-Match` on the server's version) and drops the narrative if the content changed,
 * since a stale narrative would contradict the data.
 */
export function mergePatient(base: Patient, mine: Patient, theirs: Patient): MergeResult<Patient> {
  if (sameContent(theirs, base)) return { kind: 'merged', resource: rebase(mine, theirs) };
  if (sameContent(mine, base) || sameContent(mine, theirs)) return { kind: 'merged', resource: theirs };
  const conflicts: FieldDiff[] = [];
  const b = base as unknown as Record<string, unknown>;
  const m = mine as unknown as Record<string, unknown>;
  const t = theirs as unknown as Record<string, unknown>;
  const merged: Record<string, unknown> = { resourceType: 'Patient', id: theirs.id, ...(theirs.meta ? { meta: theirs.meta } : {}) };
  for (const key of new Set([...Object.keys(t), ...Object.keys(m), ...Object.keys(b)])) {
    if (BOOKKEEPING.has(key)) continue;
    if ((DEMOGRAPHIC_LISTS as readonly string[]).includes(key)) {
      const list = mergeList(key, asList(b[key]), asList(m[key]), asList(t[key]), conflicts);
      if (list.length) merged[key] = list;
      continue;
    }
    const unit = mergeUnit(b[key], m[key], t[key]);
    if (!unit.ok) conflicts.push({ path: key, base: b[key], mine: m[key], theirs: t[key] });
    else if (unit.value !== undefined) merged[key] = unit.value;
  }
  if (conflicts.length) return { kind: 'conflict', fields: conflicts };
  const resource = merged as unknown as Patient;
  if (sameContent(resource, theirs) && theirs.text) resource.text = theirs.text;
  return { kind: 'merged', resource };
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** My content on the server's identity and version (what "keep mine" sends). */
export function rebase<T extends Resource>(mine: T, theirs: Resource): T {
  const { text: _text, meta: _meta, ...content } = mine as T & { text?: unknown };
  return { ...content, id: theirs.id, ...(theirs.meta ? { meta: theirs.meta } : {}) } as T;
}

/** Only Patient demographics are ever merged automatically; everything else is reviewed. */
export function isAutoMergeable(resourceType: string): boolean {
  return resourceType === 'Patient';
}

/**
 * What to do with a 412: a merged copy to send on top of the server's version, or a review.
 * `theirs` null means the server deleted the resource: always a review.
 */
export function resolveAutomatically(
  entry: Pick<OutboxEntry, 'resourceType' | 'baseCopy' | 'payload'>,
  theirs: Resource | null,
): MergeResult<Resource> {
  const mine = entry.payload;
  if (!theirs || !mine) return { kind: 'conflict', fields: diffFields(entry.baseCopy, mine, theirs) };
  if (sameContent(mine, theirs)) return { kind: 'merged', resource: theirs };
  if (isAutoMergeable(entry.resourceType) && entry.baseCopy) return mergePatient(entry.baseCopy as Patient, mine as Patient, theirs as Patient);
  return { kind: 'conflict', fields: diffFields(entry.baseCopy, mine, theirs) };
}

/**
 * How a conflict was settled: by a person (keep theirs, keep mine, an edited copy, or `reapply`:
 * their named change made again on the server's copy), or by the three-way merge (`auto-merge`).
 */
export type ResolutionDecision = 'keep-theirs' | 'keep-mine' | 'edit' | 'reapply' | 'auto-merge';

/** A person's decision on a conflict; `edit` and `reapply` carry the copy to send. */
export type Resolution = { decision: 'keep-theirs' } | { decision: 'keep-mine' } | { decision: 'edit' | 'reapply'; resource: Resource };

/** A plain record of who resolved what, for the audit log (DESIGN §1: every resolution is audited). */
export interface ResolutionAudit {
  kind: 'sync-conflict-resolution';
  /** fhirUser of the person who decided. */
  who: string;
  /** ISO time of the decision (device time; the server stamps its own on receipt). */
  when: string;
  entryId: string;
  /** `Type/id`. */
  resource: string;
  mutation?: string;
  decision: ResolutionDecision;
  /** Paths of the fields that differed (for `auto-merge`: the fields this device changed). */
  fields: string[];
  /** For `auto-merge`: the fields the server changed since the base. */
  theirsFields?: string[];
  baseVersion?: string;
  theirsVersion?: string;
}

/**
 * The audit record of an automatic merge (DESIGN §1 Sync: every resolution is audited; checklist
 * T1): which fields each side changed since the base, and on which versions, so a reviewer can
 * tell what was combined without the values (field paths only, never data).
 */
export function mergeAudit(
  entry: Pick<OutboxEntry, 'id' | 'resourceType' | 'resourceId' | 'mutation' | 'baseCopy' | 'baseVersion' | 'payload'>,
  theirs: Resource,
  context: { who: string; now: number },
): ResolutionAudit {
  // What one side changed since the base: its differences from the base copy.
  const paths = (side: Resource | null | undefined) => diffFields(entry.baseCopy, side ?? undefined, entry.baseCopy).map((f) => f.path);
  return { ...auditOf(entry, 'auto-merge', paths(entry.payload), theirs.meta?.versionId, context), theirsFields: paths(theirs) };
}

/** The audit record of a decision on an entry: who, when, which resource, and both versions. */
function auditOf(
  entry: Pick<OutboxEntry, 'id' | 'resourceType' | 'resourceId' | 'mutation' | 'baseVersion'>,
  decision: ResolutionDecision,
  fields: string[],
  theirsVersion: string | undefined,
  context: { who: string; now: number },
): ResolutionAudit {
  return {
    kind: 'sync-conflict-resolution',
    who: context.who,
    when: new Date(context.now).toISOString(),
    entryId: entry.id,
    resource: `${entry.resourceType}/${entry.resourceId}`,
    ...(entry.mutation ? { mutation: entry.mutation } : {}),
    decision,
    fields,
    ...(entry.baseVersion !== undefined ? { baseVersion: entry.baseVersion } : {}),
    ...(theirsVersion !== undefined ? { theirsVersion } : {}),
  };
}

/**
 * Applies a person's decision to an entry in `needs-review`. Returns the outbox event (keep
 * theirs: the entry is done and the server copy stands; keep mine / edit: back to pending on
 * the server's version) and the audit record.
 */
export function resolveConflict(
  entry: OutboxEntry,
  resolution: Resolution,
  context: { who: string; now: number },
): { event: OutboxEvent; audit: ResolutionAudit; cache: Resource | null } {
  if (entry.state !== 'needs-review' || !entry.conflict) throw new Error(`entry ${entry.id} is not waiting for review`);
  const theirs = entry.conflict.theirs;
  const theirsVersion = theirs?.meta?.versionId;
  const audit = auditOf(entry, resolution.decision, entry.conflict.fields.map((f) => f.path), theirsVersion, context);
  if (resolution.decision === 'keep-theirs') {
    return { event: { type: 'discard', ...(theirsVersion ? { version: theirsVersion } : {}) }, audit, cache: theirs };
  }
  const chosen = resolution.decision === 'edit' || resolution.decision === 'reapply' ? resolution.resource : entry.payload;
  // For an edit (or a change made again), the audit names what differs from the server's copy.
  if (resolution.decision === 'edit' || resolution.decision === 'reapply') audit.fields = diffFields(entry.baseCopy, chosen, theirs).map((f) => f.path);
  // Server deleted it: re-creating is a new create, not an update; keep-mine on a delete keeps deleting.
  const payload = chosen && theirs ? rebase(chosen, theirs) : chosen;
  return {
    event: {
      type: 'rebase',
      payload,
      ...(theirs ? { baseCopy: theirs } : {}),
      ...(theirsVersion !== undefined ? { baseVersion: theirsVersion } : {}),
    },
    audit,
    cache: payload,
  };
}
