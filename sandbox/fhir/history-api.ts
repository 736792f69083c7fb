/**
 * `_history` for an instance, a type and the whole server, served from the change log, with
 * `_since` (inclusive), `_count` and `_offset`. Paging pins a snapshot of the log (`_snapshot`,
 * an opaque value in the links) so that writes arriving between pages do not shift them.
 * Deleted resources show up as DELETE entries; the caller sees only entries its scopes and
 * patient compartment allow.
 */
import { authorize, canSee, decisionCache } from './access';
import { historyBundle } from './bundle';
import type { ChangeEntry } from './history';
import { badRequest, forbidden, notFound, notSupported } from './outcome';
import { DEFAULT_COUNT, MAX_COUNT } from './search-params';
import type { FhirCall, Reply, ServerState } from './state';

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

interface HistoryParams {
  since?: string;
  count: number;
  offset: number;
  snapshot?: number;
}

function int(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`${name} must be a non-negative integer`);
  return Number(value);
}

function parseParams(query: [string, string][]): HistoryParams {
  const p: HistoryParams = { count: DEFAULT_COUNT, offset: 0 };
  for (const [key, value] of query) {
    if (key === '_since') {
      if (!INSTANT.test(value) || Number.isNaN(Date.parse(value))) throw badRequest(`_since must be an instant such as 2026-11-01T09:00:00Z, got '${value}'`);
      p.since = value;
    } else if (key === '_count') p.count = Math.min(int('_count', value), MAX_COUNT);
    else if (key === '_offset') p.offset = int('_offset', value);
    else if (key === '_snapshot') p.snapshot = int('_snapshot', value);
    else if (key !== '_format' && key !== '_pretty') throw notSupported(`History parameter '${key}' is not supported`);
  }
  return p;
}

function reply(state: ServerState, path: string, p: HistoryParams, entries: ChangeEntry[], snapshot: number): Reply {
  const query: [string, string][] = [];
  if (p.since) query.push(['_since', p.since]);
  query.push(['_snapshot', String(snapshot)]);
  const page = { baseUrl: state.baseUrl, path, query, offset: p.offset, count: p.count, total: entries.length };
  const slice = entries.slice(p.offset, p.offset + p.count);
  return { status: 200, body: historyBundle(page, slice, state.log.stamp()) };
}

export function instanceHistory(state: ServerState, call: FhirCall, resourceType: string, id: string): Reply {
  const decision = authorize(call.caller, resourceType, 'r');
  const p = parseParams(call.query);
  const latest = state.log.latest(resourceType, id);
  if (!latest || !canSee(decision, latest.resource)) throw notFound(`${resourceType}/${id} is not known`);
  const snapshot = p.snapshot ?? state.log.lastSeq;
  const entries = state.log.query({ resourceType, id, since: p.since, upToSeq: snapshot });
  return reply(state, `${resourceType}/${id}/_history`, p, entries, snapshot);
}

export function typeHistory(state: ServerState, call: FhirCall, resourceType: string): Reply {
  const decision = authorize(call.caller, resourceType, 's');
  const p = parseParams(call.query);
  const snapshot = p.snapshot ?? state.log.lastSeq;
  const entries = state.log.query({ resourceType, since: p.since, upToSeq: snapshot }).filter((e) => canSee(decision, e.resource));
  return reply(state, `${resourceType}/_history`, p, entries, snapshot);
}

export function systemHistory(state: ServerState, call: FhirCall): Reply {
  if (!call.caller.grants.some((g) => g.permissions.has('s'))) throw forbidden('The access token grants no search on any resource type');
  const p = parseParams(call.query);
  const decisions = decisionCache(call.caller, 's');
  const snapshot = p.snapshot ?? state.log.lastSeq;
  const entries = state.log.query({ since: p.since, upToSeq: snapshot }).filter((e) => {
    const d = decisions(e.resourceType);
    return d !== undefined && canSee(d, e.resource);
  });
  return reply(state, '_history', p, entries, snapshot);
}
