/**
 * Sending one outbox entry: a pipeline of small stages that stops at the first failure (STYLE
 * rule 14; android-fhir's Uploader):
 *
 *   precheck (versionless servers only) → build request → send → classify → settle conflict
 *
 * - Creates are conditional (FHIR R4 §3.1.0.8.1 conditional create): the resource carries an
 *   identifier `urn:housecall:idempotency|{key}` and the request `If-None-Exist` on it, so when
 *   a response is lost after the server applied the create, the retry finds the first copy
 *   instead of making a second.
 * - Updates and deletes send `If-Match: W/"{baseVersion}"` whenever a version is known (§3.1.0.5
 *   managing resource contention), so nobody's change is overwritten unseen. A server without
 *   versions gets a read-compare precheck against the stored base copy instead.
 * - A 412 (or a 409 on an update or delete) fetches the server's copy and either merges it (Patient demographics), recognises our
 *   own change already applied (a lost response), or moves the entry to `needs-review`.
 *
 * Each stage is a function of its inputs; only `send` and the conflict read touch the transport.
 */
import type { Identifier, Resource } from '@medplum/fhirtypes';
import { sameContent } from './content-hash';
import { mergeAudit, resolveAutomatically, type ResolutionAudit } from './merge';
import type { OutboxEntry, OutboxError, OutboxEvent } from './outbox';
import type { Random, Transport, TransportRequest, TransportResponse } from './ports';
import { parseRetryAfter, retryTime, type BackoffPolicy } from './schedule';

import { IDEMPOTENCY_SYSTEM } from './idempotency';

export { IDEMPOTENCY_SYSTEM };
/** The proxy's OperationOutcome code system. */
export const OUTCOME_SYSTEM = 'urn:housecall:outcome';

/** Side effects of an upload (STYLE rule 10). */
export interface UploadDeps {
  transport: Transport;
  now: () => number;
  random: Random;
  backoff?: BackoffPolicy;
}

/** What the driver must do after one entry was tried. */
export interface UploadStep {
  event: OutboxEvent;
  /** The server's copy to cache; null: the resource is gone; undefined: leave the cache alone. */
  server?: Resource | null;
  /** A new local copy to show (an automatic merge waiting to be sent). */
  local?: Resource;
  /** The automatic merge that produced `local`, for the audit log (merge.ts mergeAudit). */
  merged?: ResolutionAudit;
  /** Hold a resource type (or `*`) until a time: 429 / 503. */
  block?: { scope: string; until: number };
  /** The launch ended (401): stop every sync until the user relaunches. */
  stop?: OutboxError;
  /** No response at all: the device is probably offline; stop this round. */
  offline?: true;
}

/** A response, or the error of a request that got none. */
export type Reply = { ok: true; response: TransportResponse } | { ok: false; error: unknown };

/** What a reply means, before any follow-up request. */
export type Classified =
  | { kind: 'synced'; id: string; version?: string; resource?: Resource }
  | { kind: 'conflict' }
  | { kind: 'gone' }
  | { kind: 'retry'; error: OutboxError; retryAfterMs?: number; block?: string; offline?: true }
  | { kind: 'failed'; error: OutboxError }
  | { kind: 'stop'; error: OutboxError };

/** The Housecall code of an OperationOutcome body (`scope-not-granted`), if any. */
export function outcomeCodeOf(body: unknown): string | undefined {
  const issue = (body as { resourceType?: string; issue?: { details?: { coding?: { system?: string; code?: string }[] } }[] } | undefined);
  if (issue?.resourceType !== 'OperationOutcome') return undefined;
  return issue.issue?.[0]?.details?.coding?.find((c) => c.system === OUTCOME_SYSTEM)?.code;
}

function withIdempotencyKey(resource: Resource, key: string): Resource {
  const { id: _id, meta: _meta, ...rest } = resource as Resource & { identifier?: Identifier[] };
  const identifier = (rest.identifier ?? []).filter((i) => i.system !== IDEMPOTENCY_SYSTEM);
  return { ...rest, identifier: [...identifier, { system: IDEMPOTENCY_SYSTEM, value: key }] } as Resource;
}

/** Stage: the HTTP request for an entry. Pure. */
export function buildRequest(entry: OutboxEntry): TransportRequest {
  const path = `${entry.resourceType}/${encodeURIComponent(entry.resourceId)}`;
  const ifMatch: Record<string, string> = entry.baseVersion !== undefined ? { 'if-match': `W/"${entry.baseVersion}"` } : {};
  const json = { 'content-type': 'application/fhir+json', prefer: 'return=representation' };
  if (entry.op === 'create') {
    if (!entry.payload) throw new Error(`create ${entry.id} has no payload`);
    return {
      method: 'POST',
      url: entry.resourceType,
      headers: { ...json, 'if-none-exist': `identifier=${IDEMPOTENCY_SYSTEM}|${entry.idempotencyKey}` },
      body: withIdempotencyKey(entry.payload, entry.idempotencyKey),
    };
  }
  if (entry.op === 'update') {
    if (!entry.payload) throw new Error(`update ${entry.id} has no payload`);
    return { method: 'PUT', url: path, headers: { ...json, ...ifMatch }, body: { ...entry.payload, id: entry.resourceId } };
  }
  return { method: 'DELETE', url: path, headers: ifMatch };
}

/** Stage: send. Never throws; a missing response is a value. */
export async function send(transport: Transport, request: TransportRequest): Promise<Reply> {
  try {
    return { ok: true, response: await transport(request) };
  } catch (error) {
    return { ok: false, error };
  }
}

function versionFrom(headers: Readonly<Record<string, string>>): { id?: string; version?: string } {
  const etag = headers.etag?.match(/^(?:W\/)?"([^"]*)"$/)?.[1];
  const location = headers.location?.match(/([^/]+)\/_history\/([^/]+)$/) ?? headers['content-location']?.match(/([^/]+)\/_history\/([^/]+)$/);
  return { ...(location?.[1] ? { id: location[1] } : {}), ...(etag || location?.[2] ? { version: etag || location?.[2] } : {}) };
}

function errorOf(response: TransportResponse): OutboxError {
  return { code: outcomeCodeOf(response.body) ?? `http-${response.status}`, status: response.status };
}

/** Stage: what a reply means for this entry. Pure. */
export function classify(entry: Pick<OutboxEntry, 'op' | 'resourceType' | 'resourceId'>, reply: Reply, now: number): Classified {
  if (!reply.ok) return { kind: 'retry', error: { code: 'network' }, offline: true };
  const { status, headers, body } = reply.response;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], headers.date, now);
  const after = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status >= 200 && status < 300) {
    const resource = (body as Resource | undefined)?.resourceType === entry.resourceType ? (body as Resource) : undefined;
    const fromHeaders = versionFrom(headers);
    const id = resource?.id ?? fromHeaders.id ?? entry.resourceId;
    const version = resource?.meta?.versionId ?? fromHeaders.version;
    return { kind: 'synced', id, ...(version !== undefined ? { version } : {}), ...(resource ? { resource } : {}) };
  }
  if (entry.op === 'delete' && (status === 404 || status === 410)) return { kind: 'gone' };
  // A stale If-Match: 412 (FHIR R4 §3.1.0.5), or 409 from servers that report a version clash
  // as a conflict (HAPI's ResourceVersionConflictException). Either way the server moved on: merge
  // or review, never a permanent failure that "Try again" would only meet once more.
  if (status === 412 || (status === 409 && entry.op !== 'create')) return { kind: 'conflict' };
  if (status === 401) return { kind: 'stop', error: errorOf(reply.response) };
  if (status === 429) return { kind: 'retry', error: errorOf(reply.response), block: entry.resourceType, ...after };
  if (status === 503) return { kind: 'retry', error: errorOf(reply.response), block: '*', ...after };
  if (status === 408 || status >= 500) return { kind: 'retry', error: errorOf(reply.response), ...after };
  return { kind: 'failed', error: errorOf(reply.response) };
}

function retryStep(entry: OutboxEntry, c: Extract<Classified, { kind: 'retry' }>, deps: UploadDeps): UploadStep {
  const now = deps.now();
  const at = retryTime(now, entry.attempts, c.retryAfterMs, deps.random, deps.backoff);
  return {
    event: { type: 'retry', nextAttemptAt: at, error: c.error },
    ...(c.block ? { block: { scope: c.block, until: at } } : {}),
    ...(c.offline ? { offline: true as const } : {}),
  };
}

/** Reads the server's current copy: the resource, null if deleted, or a non-success to act on. */
async function readTheirs(entry: OutboxEntry, deps: UploadDeps): Promise<{ theirs: Resource | null } | { step: Classified }> {
  const reply = await send(deps.transport, { method: 'GET', url: `${entry.resourceType}/${encodeURIComponent(entry.resourceId)}` });
  if (reply.ok && (reply.response.status === 404 || reply.response.status === 410)) return { theirs: null };
  if (reply.ok && reply.response.status === 200) return { theirs: reply.response.body as Resource };
  const c = classify({ ...entry, op: 'update' }, reply, deps.now());
  return { step: c.kind === 'synced' || c.kind === 'conflict' || c.kind === 'gone' ? { kind: 'retry', error: { code: 'conflict-read-failed' } } : c };
}

/** Stage: a conflict (412 or a failed versionless precheck) → synced, merged and resent, or review. */
async function settleConflict(entry: OutboxEntry, deps: UploadDeps, known?: Resource | null): Promise<UploadStep> {
  const read = known !== undefined ? { theirs: known } : await readTheirs(entry, deps);
  if ('step' in read) return settle(entry, read.step, deps);
  const { theirs } = read;
  if (entry.op === 'delete' && theirs === null) return { event: { type: 'synced', id: entry.resourceId }, server: null };
  if (theirs && entry.payload && sameContent(theirs, entry.payload)) {
    // Our own change, applied before its response was lost.
    const version = theirs.meta?.versionId;
    return { event: { type: 'synced', id: theirs.id ?? entry.resourceId, ...(version ? { version } : {}) }, server: theirs };
  }
  const merged = entry.op === 'delete' ? undefined : resolveAutomatically(entry, theirs);
  if (merged?.kind === 'merged' && theirs) {
    const version = theirs.meta?.versionId;
    return {
      event: { type: 'rebase', payload: merged.resource, baseCopy: theirs, ...(version !== undefined ? { baseVersion: version } : {}) },
      local: merged.resource,
      merged: mergeAudit(entry, theirs, { who: '', now: deps.now() }),
    };
  }
  const fields = merged?.kind === 'conflict' ? merged.fields : [{ path: '(resource)', base: entry.baseCopy, mine: null, theirs }];
  return { event: { type: 'conflict', conflict: { theirs, fields, detectedAt: deps.now() } } };
}

async function settle(entry: OutboxEntry, c: Classified, deps: UploadDeps): Promise<UploadStep> {
  switch (c.kind) {
    case 'synced': {
      if (entry.op === 'delete') return { event: { type: 'synced', id: entry.resourceId }, server: null };
      const server = c.resource ?? ({ ...entry.payload, id: c.id, ...(c.version ? { meta: { ...entry.payload?.meta, versionId: c.version } } : {}) } as Resource);
      return { event: { type: 'synced', id: c.id, ...(c.version !== undefined ? { version: c.version } : {}) }, server };
    }
    case 'gone':
      return { event: { type: 'synced', id: entry.resourceId }, server: null };
    case 'conflict':
      return settleConflict(entry, deps);
    case 'retry':
      return retryStep(entry, c, deps);
    case 'failed':
      return { event: { type: 'fail', error: c.error } };
    case 'stop':
      return { event: { type: 'retry', nextAttemptAt: deps.now(), error: c.error }, stop: c.error };
  }
}

/** Without a version to send as If-Match, compare the server's copy with our base first. */
function needsPrecheck(entry: OutboxEntry): boolean {
  return entry.op !== 'create' && entry.baseVersion === undefined && entry.baseCopy !== undefined;
}

/** The whole pipeline for one in-flight entry. */
export async function uploadEntry(entry: OutboxEntry, deps: UploadDeps): Promise<UploadStep> {
  if (needsPrecheck(entry)) {
    const read = await readTheirs(entry, deps);
    if ('step' in read) return settle(entry, read.step, deps);
    if (!read.theirs || !sameContent(read.theirs, entry.baseCopy)) return settleConflict(entry, deps, read.theirs);
  }
  const reply = await send(deps.transport, buildRequest(entry));
  return settle(entry, classify(entry, reply, deps.now()), deps);
}
