/**
 * The sandbox's FHIR R4 server: @medplum/fhir-router over a MemoryRepository seeded from the
 * fixtures, behind a small node:http layer that adds what the router lacks (validation,
 * SMART scopes and the patient compartment, paging links, includes, history at every level,
 * /metadata, CORS, latency knob).
 *
 * Request pipeline: latency knob → CORS preflight → public endpoints (/metadata) → bearer
 * token (introspect) → fault knobs (faults.ts) → route → scopes and compartment → router →
 * response.
 */
import type { IncomingMessage } from 'node:http';
import { FhirRouter } from '@medplum/fhir-router';
import type { Bundle, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { seedResources } from '../../fixtures/index';
import type { CreateFhirServer, FhirServerOptions } from '../contracts';
import type { FaultSubject } from '../faults';
import { ageResponseBody } from './age-data';
import { buildCapabilityStatement } from './capability';
import { loadDefinitions } from './definitions';
import { dropsAfterWrite, isWrite, requestFault, unfilteredObservationSearch, withheldMatches, withoutVersions } from './faults';
import { ChangeLog } from './history';
import { createInbox } from './inbox';
import { createSerializer, readBody, send, sleep } from './http';
import { FhirError, badRequest } from './outcome';
import { VersionedRepository } from './repository';
import { dispatch } from './routes';
import { parseScopes } from './scopes';
import type { Caller, Reply, ServerState } from './state';
import { callRouter } from './state';

/** Types served besides those in the seed (so Housecall can write consents, provenance, ...). */
const BASE_TYPES = [
  'Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication', 'Encounter', 'Condition',
  'Observation', 'DiagnosticReport', 'MedicationRequest', 'MedicationStatement', 'AllergyIntolerance', 'Immunization',
  'Procedure', 'DocumentReference', 'CarePlan', 'CareTeam', 'Goal', 'ServiceRequest', 'Appointment', 'Task', 'Consent',
  'Provenance', 'QuestionnaireResponse', 'Communication',
];

async function authenticate(options: FhirServerOptions, state: ServerState, req: IncomingMessage): Promise<Caller> {
  const challenge = (error?: string): Record<string, string> => ({
    'WWW-Authenticate': `Bearer realm="${state.baseUrl}"${error ? `, error="${error}"` : ''}`,
  });
  const match = /^Bearer\s+([^\s]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) throw FhirError.of(401, 'login', 'A bearer access token is required', challenge());
  const info = await options.introspect(match[1]);
  if (!info || info.exp * 1000 <= Date.now()) {
    throw FhirError.of(401, 'login', 'The access token is invalid, revoked or expired', challenge('invalid_token'));
  }
  // A backend (client_credentials) token acts through `system/` scopes only, a user's token never
  // through them: a scope string cannot lift a token out of the kind the authorization server issued.
  const grants = parseScopes(info.scope).filter((g) => (g.context === 'system') === (info.system === true));
  return { token: info, grants };
}

function pathSegments(state: ServerState, rawUrl: string | undefined): { segments: string[]; query: [string, string][] } | undefined {
  const url = new URL(rawUrl ?? '/', state.baseUrl);
  const basePath = new URL(state.baseUrl).pathname.replace(/\/+$/, '');
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return undefined;
  try {
    const segments = url.pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
    return { segments, query: [...url.searchParams.entries()] };
  } catch {
    throw badRequest('The path is not valid URL encoding');
  }
}

/** A routed request: the reply, and for an authenticated one, who asked about what. */
interface Routed {
  reply: Reply;
  subject?: FaultSubject;
  write?: boolean;
}

async function route(options: FhirServerOptions, state: ServerState, metadata: () => CapabilityStatement, req: IncomingMessage): Promise<Routed> {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') return { reply: { status: 204 } };
  const path = pathSegments(state, req.url);
  if (!path) throw FhirError.of(404, 'not-found', 'Not under the FHIR base');
  if (path.segments.length === 1 && path.segments[0] === 'metadata') {
    if (method !== 'GET') throw FhirError.of(405, 'not-supported', 'GET /metadata only', { Allow: 'GET' });
    return { reply: { status: 200, body: metadata() } };
  }
  const caller = await authenticate(options, state, req);
  const subject: FaultSubject = { clientId: caller.token.clientId, resourceType: path.segments[0], method };
  const fault = requestFault(options.knobs, subject, state.baseUrl, options.onFault);
  if (fault) throw fault;
  const body = method === 'POST' || method === 'PUT' ? await readBody(req) : '';
  const unfiltered = unfilteredObservationSearch(options.knobs, method, path.segments, path.query, body);
  if (unfiltered) throw unfiltered;
  const reply = await dispatch(state, { method, ...path, headers: req.headers, body, caller });
  const minimal = /return=minimal/.test(String(req.headers.prefer ?? ''));
  const shaped = minimal && (method === 'POST' || method === 'PUT') && reply.status < 300 ? { status: reply.status, headers: reply.headers } : reply;
  return { reply: shaped, subject, write: isWrite(method, path.segments) };
}

export const createFhirServer: CreateFhirServer = async (options) => {
  const started = performance.now();
  loadDefinitions();
  const definitionsMs = performance.now() - started;
  const log = new ChangeLog();
  const repo = new VersionedRepository(log);
  const resources = seedResources(options.seed);
  for (const resource of resources) await repo.seed(resource);
  const state: ServerState = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    repo,
    log,
    router: new FhirRouter(),
    supportedTypes: new Set([...BASE_TYPES, ...resources.map((r) => r.resourceType)]),
    serialize: createSerializer(),
  };
  const startedAt = new Date().toISOString();
  let capability: CapabilityStatement | undefined;
  const metadata = (): CapabilityStatement =>
    (capability ??= buildCapabilityStatement(state.baseUrl, [...state.supportedTypes].sort(), options.oauth, startedAt));

  console.log(
    `[fhir] ${resources.length} resources seeded at ${state.baseUrl} in ${Math.round(performance.now() - started)} ms (definitions ${Math.round(definitionsMs)} ms)`,
  );

  return {
    async handle(req, res) {
      try {
        await sleep(options.knobs.fhirLatencyMs);
        const { reply, subject, write } = await route(options, state, metadata, req);
        if (!subject) return send(res, reply.status, reply.body, reply.headers);
        // The write is applied; the client never hears so (a dropped connection).
        if (write && dropsAfterWrite(options.knobs, subject, reply, options.onFault)) return void res.destroy();
        const shaped = withheldMatches(options.knobs, subject, withoutVersions(options.knobs, subject, reply), options.onFault);
        send(res, shaped.status, ageResponseBody(shaped.body, options.knobs.agePatientData), shaped.headers);
      } catch (err) {
        if (!(err instanceof FhirError)) console.error('[fhir] unexpected error', req.method, req.url?.split('?')[0], err);
        const e = err instanceof FhirError ? err : FhirError.of(500, 'exception', 'Internal server error');
        if (!res.headersSent) send(res, e.status, e.outcome, e.headers);
        else res.end();
      }
    },
    edit(resourceType, id, change) {
      return state.serialize(async () => {
        const { resource } = await callRouter(state, 'GET', `${resourceType}/${id}`);
        if (!resource) throw FhirError.of(404, 'not-found', `${resourceType}/${id} is not known`);
        const next: Resource = { ...change(structuredClone(resource)), id } as Resource;
        const result = await callRouter(state, 'PUT', `${resourceType}/${id}`, next);
        if (!result.resource) throw FhirError.of(500, 'exception', 'The repository returned no resource');
        return result.resource;
      });
    },
    async listForPatient(resourceType, patientId) {
      if (!state.supportedTypes.has(resourceType)) return [];
      const { resource } = await callRouter(state, 'GET', `${resourceType}?patient=${encodeURIComponent(`Patient/${patientId}`)}&_count=1000`);
      return ((resource as Bundle | undefined)?.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    },
    inbox: createInbox(state),
    create(resource) {
      return state.serialize(async () => {
        if (state.log.exists(resource.resourceType, resource.id)) throw FhirError.of(409, 'duplicate', `${resource.resourceType}/${resource.id} exists`);
        const subject = /^Patient\/(.+)$/.exec((resource as { subject?: { reference?: string } }).subject?.reference ?? '')?.[1];
        if (subject !== undefined && !state.log.exists('Patient', subject)) throw FhirError.of(404, 'not-found', 'no such patient');
        const result = await callRouter(state, 'PUT', `${resource.resourceType}/${resource.id}`, resource);
        if (!result.resource) throw FhirError.of(500, 'exception', 'The repository returned no resource');
        return result.resource;
      });
    },
    remove(resourceType, id) {
      return state.serialize(async () => {
        if (!state.log.exists(resourceType, id)) throw FhirError.of(404, 'not-found', `${resourceType}/${id} is not known`);
        await callRouter(state, 'DELETE', `${resourceType}/${id}`);
      });
    },
  };
};
