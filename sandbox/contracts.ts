/**
 * Contracts between the sandbox's parts (FHIR server, authorization server, pages).
 * The sandbox is a development and test EHR; nothing in app/ or lib/ imports it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from '@medplum/fhirtypes';
import type { Seed } from '../fixtures/types';

/** What the authorization server knows about a live access token. */
export interface TokenInfo {
  /** Space-separated granted scopes, SMART v1 (`patient/Observation.read`) or v2 (`patient/Observation.rs`). */
  scope: string;
  clientId: string;
  /** Account id of the signed-in user (a Practitioner or Patient id from the seed). */
  sub: string;
  /** `Practitioner/{id}` or `Patient/{id}`. */
  fhirUser?: string;
  /** Launch context: the patient the token is bound to. */
  patient?: string;
  encounter?: string;
  /** Seconds since the epoch. */
  exp: number;
}

/** Resolves a bearer token to what it grants, or null when it is unknown, revoked or expired. */
export type Introspect = (token: string) => Promise<TokenInfo | null>;

/** Fault knobs shared by the sandbox's parts; tests set them over `POST /_knobs`. */
export interface Knobs {
  /** Added to every FHIR response. */
  fhirLatencyMs: number;
}

export interface FhirServerOptions {
  /** Absolute FHIR base, e.g. `http://127.0.0.1:4010/fhir`. Requests arrive with paths under its pathname. */
  baseUrl: string;
  seed: Seed;
  introspect: Introspect;
  knobs: Knobs;
  /**
   * The authorization server's endpoints, advertised in the CapabilityStatement's
   * `oauth-uris` extension (SMART App Launch 1.0 discovery). Optional for tests.
   */
  oauth?: { authorize: string; token: string; revoke?: string; introspect?: string; register?: string; manage?: string };
}

export interface FhirServer {
  /** Handles a request whose path starts with the base URL's pathname. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * A server-side edit that bypasses authorization, for fault knobs (for example, to force an
   * If-Match conflict). Creates a new version; rejects with a 404 FhirError if absent.
   */
  edit?(resourceType: string, id: string, change: (current: Resource) => Resource): Promise<Resource>;
}

export type CreateFhirServer = (options: FhirServerOptions) => Promise<FhirServer>;
