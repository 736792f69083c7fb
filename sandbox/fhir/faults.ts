/**
 * The FHIR server's fault knobs, in the order a request meets them: `fhirLatencyMs` (before
 * anything), then `fhir401` and `fhirError` (once the token is known to be good, before the
 * interaction runs), then `dropAfterWrite` (after a write has been applied), then `versionless`
 * and `withheldSearch` (shaping the response). `/metadata` and CORS preflights meet only the latency.
 */
import type { FaultListener, Knobs } from '../contracts';
import { faultApplies, takeFault, type FaultSubject } from '../faults';
import { FhirError, type IssueCode } from './outcome';
import type { Reply } from './state';

function issueFor(status: number): IssueCode {
  if (status === 429) return 'throttled';
  if (status === 503 || status === 504) return 'transient';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 408) return 'timeout';
  return status < 500 ? 'processing' : 'exception';
}

/** The error an authenticated request answers with instead of running, if a fault fires. */
export function requestFault(knobs: Knobs, subject: FaultSubject, realm: string, onFault?: FaultListener): FhirError | undefined {
  if (takeFault(knobs, 'fhir401', subject, onFault)) {
    const challenge = `Bearer realm="${realm}", error="invalid_token", error_description="The access token is no longer accepted"`;
    return FhirError.of(401, 'login', 'The access token is no longer accepted', { 'WWW-Authenticate': challenge });
  }
  const error = takeFault(knobs, 'fhirError', subject, onFault);
  if (error) {
    const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
    return FhirError.of(error.status, issueFor(error.status), `The server could not answer (HTTP ${error.status}); try again later`, headers);
  }
  return undefined;
}

/** create (POST Type), update (PUT Type/id) and delete (DELETE Type/id): the writes `dropAfterWrite` counts. */
export function isWrite(method: string, segments: string[]): boolean {
  if (method === 'POST') return segments.length === 1;
  return (method === 'PUT' || method === 'DELETE') && segments.length === 2;
}

/** True when the connection should be cut instead of answering this (applied) write. */
export function dropsAfterWrite(knobs: Knobs, subject: FaultSubject, reply: Reply, onFault?: FaultListener): boolean {
  return reply.status < 300 && takeFault(knobs, 'dropAfterWrite', subject, onFault) !== undefined;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = strip(item);
  if (typeof out.resourceType === 'string' && out.meta && typeof out.meta === 'object') {
    const { versionId: _versionId, ...meta } = out.meta as Record<string, unknown>;
    if (Object.keys(meta).length) out.meta = meta;
    else delete out.meta;
  }
  // A Bundle entry's response (history, batch) carries the version as an ETag.
  if (out.response && typeof out.response === 'object' && 'etag' in out.response) {
    const { etag: _etag, ...response } = out.response as Record<string, unknown>;
    out.response = response;
  }
  return out;
}

/**
 * The reply as a server without versions would send it: no `meta.versionId`, no `ETag`, and a
 * `Location` without `/_history/{vid}`. Copies; stored resources are never touched.
 */
export function withoutVersions(knobs: Knobs, subject: FaultSubject, reply: Reply): Reply {
  if (!faultApplies(knobs, 'versionless', subject)) return reply;
  const { ETag: _etag, ...headers } = reply.headers ?? {};
  if (headers.Location) headers.Location = headers.Location.replace(/\/_history\/[^/]*$/, '');
  return { status: reply.status, ...(reply.body === undefined ? {} : { body: strip(reply.body) }), headers };
}

/** The warning a search answer carries when the server left entries out (`withheldSearch`). */
export const WITHHELD_OUTCOME = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'warning', code: 'suppressed', diagnostics: 'Some results were not returned because they are not available to this user.' }],
} as const;

/**
 * A search answer as a server that leaves entries out sends it: its `match` entries gone (included
 * ones kept), `total` counting what is left, and a warning OperationOutcome entry saying so. Only
 * searches (a searchset Bundle); copies. Counts down once per answer it changes.
 */
export function withheldMatches(knobs: Knobs, subject: FaultSubject, reply: Reply, onFault?: FaultListener): Reply {
  const body = reply.body as { resourceType?: unknown; type?: unknown; entry?: { search?: { mode?: string } }[]; total?: number } | undefined;
  if (reply.status !== 200 || body?.resourceType !== 'Bundle' || body.type !== 'searchset') return reply;
  if (!takeFault(knobs, 'withheldSearch', subject, onFault)) return reply;
  const kept = (body.entry ?? []).filter((e) => e.search?.mode !== 'match');
  const entry = [...kept, { resource: WITHHELD_OUTCOME, search: { mode: 'outcome' } }];
  return { ...reply, body: { ...body, ...(typeof body.total === 'number' ? { total: 0 } : {}), entry } };
}

/** The search parameters any one of which an Observation search must name (`observationSearchFilter`). */
const OBSERVATION_FILTERS = new Set(['category', 'code', '_id']);

/**
 * With `observationSearchFilter` on (the default), an Observation search (GET, or POST `_search`)
 * that names no category, code or _id answers 400, as Epic answers it.
 */
export function unfilteredObservationSearch(knobs: Knobs, method: string, segments: readonly string[], query: readonly [string, string][], body: string): FhirError | undefined {
  if (!knobs.observationSearchFilter || segments[0] !== 'Observation') return undefined;
  const isSearch = (method === 'GET' && segments.length === 1) || (method === 'POST' && segments.length === 2 && segments[1] === '_search');
  if (!isSearch) return undefined;
  const params = [...query, ...(method === 'POST' ? [...new URLSearchParams(body).entries()] : [])];
  if (params.some(([key]) => OBSERVATION_FILTERS.has(key.split(':')[0] ?? key))) return undefined;
  return FhirError.of(400, 'required', 'An Observation search must include a category or code parameter');
}
