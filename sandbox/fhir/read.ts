/** read and vread. A resource the caller may not see answers 404 exactly like one that does not exist. */
import { authorize, canSee } from './access';
import { etag } from './bundle';
import { FhirError, notFound } from './outcome';
import type { FhirCall, Reply, ServerState } from './state';
import { callRouter, versionHeaders } from './state';

export async function read(state: ServerState, call: FhirCall, resourceType: string, id: string): Promise<Reply> {
  const decision = authorize(call.caller, resourceType, 'r');
  const latest = state.log.latest(resourceType, id);
  const resolve = (type: string, contextId: string) => {
    const found = state.log.latest(type, contextId);
    return found && found.method !== 'DELETE' ? found.resource : undefined;
  };
  if (!latest || !canSee(decision, latest.resource, resolve)) throw notFound(`${resourceType}/${id} is not known`);
  if (latest.method === 'DELETE') throw FhirError.of(410, 'deleted', `${resourceType}/${id} has been deleted`);
  const { resource } = await callRouter(state, 'GET', `${resourceType}/${id}`);
  if (!resource) throw notFound(`${resourceType}/${id} is not known`);
  if (call.headers['if-none-match'] === etag(resource.meta?.versionId)) return { status: 304, headers: versionHeaders(resource) };
  return { status: 200, body: resource, headers: versionHeaders(resource) };
}

export async function vread(state: ServerState, call: FhirCall, resourceType: string, id: string, versionId: string): Promise<Reply> {
  const decision = authorize(call.caller, resourceType, 'r');
  const entry = state.log.version(resourceType, id, versionId);
  if (!entry || !canSee(decision, entry.resource)) throw notFound(`${resourceType}/${id}/_history/${versionId} is not known`);
  if (entry.method === 'DELETE') {
    throw FhirError.of(410, 'deleted', `${resourceType}/${id} was deleted in version ${versionId}`, { ETag: etag(versionId) });
  }
  return { status: 200, body: entry.resource, headers: versionHeaders(entry.resource) };
}
