/** What every handler shares: the router, the repository and its change log, and request shapes. */
import type { IncomingHttpHeaders } from 'node:http';
import { getStatus } from '@medplum/core';
import type { FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type { OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { TokenInfo } from '../contracts';
import { etag } from './bundle';
import type { ChangeLog } from './history';
import { FhirError } from './outcome';
import type { VersionedRepository } from './repository';
import type { ScopeGrant } from './scopes';

export interface ServerState {
  /** Absolute base URL without a trailing slash. */
  baseUrl: string;
  repo: VersionedRepository;
  log: ChangeLog;
  router: FhirRouter;
  supportedTypes: ReadonlySet<string>;
  /** Runs writes one at a time. */
  serialize: <T>(task: () => Promise<T>) => Promise<T>;
}

export interface Caller {
  token: TokenInfo;
  grants: ScopeGrant[];
}

/** A parsed, authenticated request. */
export interface FhirCall {
  method: string;
  /** Path segments under the base, decoded. */
  segments: string[];
  query: [string, string][];
  headers: IncomingHttpHeaders;
  body: string;
  caller: Caller;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouterResult {
  status: number;
  resource?: Resource;
}

/**
 * Sends one request through the Medplum FhirRouter. Non-2xx outcomes become FhirErrors.
 * The router speaks @medplum/fhirtypes 4.5.2; the JSON is identical, so it is retyped here.
 */
export async function callRouter(
  state: ServerState,
  method: HttpMethod,
  url: string,
  body?: unknown,
  headers: IncomingHttpHeaders = {},
): Promise<RouterResult> {
  const request = { method, url, pathname: '', body, params: {}, query: {}, headers };
  const [outcome, resource] = (await state.router.handleRequest(request, state.repo)) as unknown as [OperationOutcome, Resource?];
  const status = getStatus(outcome);
  if (status >= 400) throw new FhirError(status, outcome);
  return { status, ...(resource ? { resource } : {}) };
}

/** ETag and Last-Modified for a stored resource. */
export function versionHeaders(resource: Resource): Record<string, string> {
  const headers: Record<string, string> = { ETag: etag(resource.meta?.versionId) };
  if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  return headers;
}

export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
export const TYPE_PATTERN = /^[A-Z][A-Za-z]{1,63}$/;
