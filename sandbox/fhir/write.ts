/**
 * create (plain and conditional with If-None-Exist), update (with If-Match, or as create)
 * and delete (with If-Match). Bodies are validated against the R4 definitions; writes run
 * one at a time; a patient-context token may only write its own patient's compartment.
 */
import { normalizeOperationOutcome, validateResource } from '@medplum/core';
import type { Communication, Resource } from '@medplum/fhirtypes';
import { checkCommunication } from './communication';
import { authorize, canSee } from './access';
import { inPatientCompartment } from './compartment';
import { FhirError, badRequest, forbidden, notFound } from './outcome';
import type { AccessDecision } from './scopes';
import { parseSearch } from './search-params';
import { constrainSearch, searchContext } from './search';
import type { FhirCall, Reply, ServerState } from './state';
import { ID_PATTERN, callRouter, versionHeaders } from './state';

const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json+fhir'];

function parseResourceBody(call: FhirCall, resourceType: string): Resource {
  const contentType = (call.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType && !JSON_TYPES.includes(contentType)) throw FhirError.of(415, 'not-supported', `Content-Type ${contentType} is not supported; send application/fhir+json`);
  let body: unknown;
  try {
    body = JSON.parse(call.body);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object');
  const candidate = body as Record<string, unknown>;
  if (candidate.resourceType !== resourceType) throw badRequest(`resourceType must be ${resourceType}, got ${String(candidate.resourceType)}`);
  if (candidate.id !== undefined && (typeof candidate.id !== 'string' || !ID_PATTERN.test(candidate.id))) {
    throw badRequest('id must match [A-Za-z0-9\\-\\.]{1,64}');
  }
  try {
    validateResource(candidate as unknown as Resource);
  } catch (err) {
    throw new FhirError(400, normalizeOperationOutcome(err));
  }
  return candidate as unknown as Resource;
}

/** 403 unless the decision lets the caller write this content. */
function assertWritable(decision: AccessDecision, resource: Resource): void {
  if (decision.patientId && !inPatientCompartment(resource, decision.patientId)) {
    throw forbidden('A patient-context token can only write resources that belong to its patient');
  }
  if (!canSee(decision, resource)) throw forbidden('The resource is outside the scope restrictions of this token');
}

function parseIfMatch(call: FhirCall): string | undefined {
  const header = call.headers['if-match'];
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"([^"]+)"$/.exec(header.trim());
  if (!m?.[1]) throw badRequest(`If-Match must be an ETag such as W/"3", got ${header}`);
  return m[1];
}

function created(state: ServerState, status: number, resource: Resource | undefined): Reply {
  if (!resource) throw FhirError.of(500, 'exception', 'The repository returned no resource');
  const headers = versionHeaders(resource);
  if (status === 201) headers.Location = `${state.baseUrl}/${resource.resourceType}/${resource.id ?? ''}/_history/${resource.meta?.versionId ?? ''}`;
  return { status, body: resource, headers };
}

export async function create(state: ServerState, call: FhirCall, resourceType: string): Promise<Reply> {
  const decision = authorize(call.caller, resourceType, 'c');
  const { id: _ignored, ...resource } = parseResourceBody(call, resourceType);
  assertWritable(decision, resource as Resource);
  if (resourceType === 'Communication') checkCommunication(state, resource as Communication);
  const rawIfNoneExist = call.headers['if-none-exist'];
  const ifNoneExist = Array.isArray(rawIfNoneExist) ? rawIfNoneExist[0] : rawIfNoneExist;
  const headers: Record<string, string> = {};
  if (ifNoneExist !== undefined) {
    const query = ifNoneExist.includes('?') ? ifNoneExist.slice(ifNoneExist.indexOf('?') + 1) : ifNoneExist;
    const parsed = parseSearch(resourceType, [...new URLSearchParams(query).entries()], searchContext(state));
    if (!parsed.filters.length) throw badRequest('If-None-Exist needs at least one search parameter');
    headers['if-none-exist'] = new URLSearchParams(constrainSearch(resourceType, parsed.filters, decision)).toString();
  }
  return state.serialize(async () => {
    const result = await callRouter(state, 'POST', resourceType, resource, headers);
    return created(state, result.status === 201 ? 201 : 200, result.resource);
  });
}

export async function update(state: ServerState, call: FhirCall, resourceType: string, id: string): Promise<Reply> {
  const decision = authorize(call.caller, resourceType, 'u');
  const resource = parseResourceBody(call, resourceType);
  if (resource.id !== id) throw badRequest(`The resource id (${resource.id ?? 'none'}) must match the URL (${id})`);
  const ifMatch = parseIfMatch(call);
  return state.serialize(async () => {
    const latest = state.log.latest(resourceType, id);
    if (latest && !canSee(decision, latest.resource)) throw notFound(`${resourceType}/${id} is not known`);
    const exists = latest !== undefined && latest.method !== 'DELETE';
    if (!exists) {
      if (ifMatch !== undefined) throw FhirError.of(412, 'conflict', `${resourceType}/${id} does not exist, so If-Match cannot match`);
      authorize(call.caller, resourceType, 'c');
    }
    if (exists) assertWritable(decision, latest.resource);
    assertWritable(decision, resource);
    if (resourceType === 'Communication') checkCommunication(state, resource as Communication);
    const ifMatchHeader: Record<string, string> = ifMatch === undefined ? {} : { 'if-match': `W/"${ifMatch}"` };
    const result = await callRouter(state, 'PUT', `${resourceType}/${id}`, resource, ifMatchHeader);
    return created(state, exists ? 200 : 201, result.resource);
  });
}

export async function remove(state: ServerState, call: FhirCall, resourceType: string, id: string): Promise<Reply> {
  const decision = authorize(call.caller, resourceType, 'd');
  const ifMatch = parseIfMatch(call);
  return state.serialize(async () => {
    const latest = state.log.latest(resourceType, id);
    if (!latest || !canSee(decision, latest.resource)) throw notFound(`${resourceType}/${id} is not known`);
    if (latest.method === 'DELETE') return { status: 204 };
    assertWritable(decision, latest.resource);
    if (ifMatch !== undefined && ifMatch !== latest.versionId) {
      throw FhirError.of(412, 'conflict', `Version ${ifMatch} is stale; ${resourceType}/${id} is at version ${latest.versionId}`);
    }
    await callRouter(state, 'DELETE', `${resourceType}/${id}`);
    return { status: 204 };
  });
}
