/**
 * Maps an authenticated request to one FHIR interaction. Paths are checked here (resource
 * type supported, id syntax) so handlers receive clean values.
 */
import { instanceHistory, systemHistory, typeHistory } from './history-api';
import { FhirError, badRequest, notFound, notSupported } from './outcome';
import { read, vread } from './read';
import { search } from './search';
import type { FhirCall, Reply, ServerState } from './state';
import { ID_PATTERN, TYPE_PATTERN } from './state';
import { create, remove, update } from './write';

function methodNotAllowed(call: FhirCall, allow: string): FhirError {
  return FhirError.of(405, 'not-supported', `${call.method} is not supported on this path`, { Allow: allow });
}

function checkType(state: ServerState, resourceType: string): void {
  if (!TYPE_PATTERN.test(resourceType)) throw notFound(`Unknown path segment '${resourceType}'`);
  if (!state.supportedTypes.has(resourceType)) throw FhirError.of(404, 'not-supported', `Resource type ${resourceType} is not supported by this server`);
}

function checkId(id: string): void {
  if (!ID_PATTERN.test(id)) throw badRequest(`Invalid id '${id}': ids match [A-Za-z0-9\\-\\.]{1,64}`);
}

function formParams(call: FhirCall): [string, string][] {
  const type = (call.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (call.body && type !== 'application/x-www-form-urlencoded') {
    throw FhirError.of(415, 'not-supported', 'POST _search takes application/x-www-form-urlencoded parameters');
  }
  return [...new URLSearchParams(call.body).entries()];
}

export async function dispatch(state: ServerState, call: FhirCall): Promise<Reply> {
  const { method, segments } = call;
  const [first, second, third, fourth] = segments;
  if (segments.length > 4) throw notFound('Unknown path');
  if (first === undefined) {
    throw notSupported('System-level search, batch and transaction are not supported; use a resource type');
  }
  if (first === '_history' && segments.length === 1) {
    if (method !== 'GET') throw methodNotAllowed(call, 'GET');
    return systemHistory(state, call);
  }
  checkType(state, first);
  if (second === undefined) {
    if (method === 'GET') return search(state, call, first, call.query);
    if (method === 'POST') return create(state, call, first);
    throw methodNotAllowed(call, 'GET, POST');
  }
  if (second === '_search' && segments.length === 2) {
    if (method !== 'POST') throw methodNotAllowed(call, 'POST');
    return search(state, call, first, [...call.query, ...formParams(call)]);
  }
  if (second === '_history' && segments.length === 2) {
    if (method !== 'GET') throw methodNotAllowed(call, 'GET');
    return typeHistory(state, call, first);
  }
  checkId(second);
  if (third === undefined) {
    if (method === 'GET') return read(state, call, first, second);
    if (method === 'PUT') return update(state, call, first, second);
    if (method === 'DELETE') return remove(state, call, first, second);
    throw methodNotAllowed(call, 'GET, PUT, DELETE');
  }
  if (third !== '_history') throw notSupported(`Operation '${third}' is not supported`);
  if (method !== 'GET') throw methodNotAllowed(call, 'GET');
  if (fourth === undefined) return instanceHistory(state, call, first, second);
  checkId(fourth);
  return vread(state, call, first, second, fourth);
}
