/**
 * Contracts between the sandbox's parts (FHIR server, authorization server, pages).
 * The sandbox is a development and test EHR; nothing in app/ or lib/ imports it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Communication, Resource } from '@medplum/fhirtypes';
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
  /** A SMART Backend Services (client_credentials) token: it acts for the client, not a user; only `system/` scopes count. */
  system?: true;
}

/** Resolves a bearer token to what it grants, or null when it is unknown, revoked or expired. */
export type Introspect = (token: string) => Promise<TokenInfo | null>;

/**
 * Who a fault applies to and how often it fires. A fault without `clients` applies to every
 * client; without `count` it fires on every matching request until reset. `count` goes down by
 * one each time the fault fires, and the knob turns itself off (null) when it reaches 0.
 */
export interface FaultFilter {
  clients?: string[];
  count?: number;
}

/** A fault limited to some FHIR resource types (absent: all), judged by the request path's type. */
export interface FhirFaultFilter extends FaultFilter {
  resourceTypes?: string[];
}

export interface FhirErrorFault extends FhirFaultFilter {
  /** HTTP status of the OperationOutcome, 400–599 (e.g. 500, 503, 429). */
  status: number;
  /** Sent as `Retry-After` (seconds). */
  retryAfterSeconds?: number;
  /** Only requests with one of these methods (e.g. `["PUT"]` for updates, not the reads before them). */
  methods?: ('GET' | 'POST' | 'PUT' | 'DELETE')[];
}

/**
 * Fault knobs the FHIR server reads; tests set them over `POST /_knobs`. A knob that is off is
 * null. See sandbox/README.md for what each one does.
 */
export interface Knobs {
  /** Added to every FHIR response. */
  fhirLatencyMs: number;
  /** Authenticated FHIR requests answer 401 `invalid_token` although the token is valid. */
  fhir401: FaultFilter | null;
  /** Authenticated FHIR requests answer this status as an OperationOutcome. */
  fhirError: FhirErrorFault | null;
  /** A create, update or delete is applied, then the connection is destroyed without a response. */
  dropAfterWrite: FhirFaultFilter | null;
  /** Responses carry no `meta.versionId` and no `ETag` (as Epic often does). `count` is ignored. */
  versionless: FhirFaultFilter | null;
  /**
   * Searches of these types withhold their matches and say so in a warning OperationOutcome entry
   * (`search.mode: outcome`), as Oracle Health does for entries it leaves out of an answer.
   */
  withheldSearch: FhirFaultFilter | null;
  /**
   * On by default, as Epic does it: an Observation search must name a `category`, a `code` or an
   * `_id`; one that names none answers 400. Off (null) only for tests of other things.
   */
  observationSearchFilter: true | null;
  /**
   * Always true: a deleted resource is gone from search, `_lastUpdated` included; only `_history`
   * reports deletions. Kept as a knob so tests can state what they rely on.
   */
  hideDeletionsFromLastUpdated: true;
  /**
   * The named patients' clinical dates are served this many days earlier than stored (as if their
   * data had stopped arriving): every full date or date-time in their compartment's resources except
   * birth and death dates and `meta`. Searches still match the stored dates. Off: null.
   */
  agePatientData: AgePatientData | null;
}

export interface AgePatientData {
  /** Patient ids whose data is aged. */
  patients: string[];
  days: number;
}

/** Called with a knob's name each time that fault fires (the sandbox counts them in its stats). */
export type FaultListener = (knob: string) => void;

export interface FhirServerOptions {
  /** Absolute FHIR base, e.g. `http://127.0.0.1:4010/fhir`. Requests arrive with paths under its pathname. */
  baseUrl: string;
  seed: Seed;
  introspect: Introspect;
  knobs: Knobs;
  onFault?: FaultListener;
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
  /**
   * A server-side delete that bypasses authorization (the resource disappears behind the
   * client's back; `_history` records it). Rejects with a 404 FhirError if absent.
   */
  remove?(resourceType: string, id: string): Promise<void>;
  /**
   * The current resources of one type in one patient's compartment, bypassing authorization,
   * for tests that check what a client wrote (read-only).
   */
  listForPatient?(resourceType: string, patientId: string): Promise<Resource[]>;
  /** A server-side create that bypasses authorization (a lab releasing a result); the resource keeps its id. */
  create?(resource: Resource & { id: string }): Promise<Resource>;
  /** The clinician's side of patient messages, for the EHR page's inbox. */
  inbox?: EhrInbox;
}

/** A clinician's message inbox at the EHR (fhir/inbox.ts). */
export interface EhrInbox {
  /** Messages addressed to this practitioner, newest first. */
  list(practitionerId: string): Promise<Communication[]>;
  /** One message to or from this practitioner and its thread, oldest first; opening one addressed to them marks it received. */
  open(practitionerId: string, id: string): Promise<{ message: Communication; thread: Communication[] } | undefined>;
  /** A reply from this practitioner to the message's other party, in its thread (validated like any write). */
  reply(practitionerId: string, id: string, text: string): Promise<Communication>;
}

export type CreateFhirServer = (options: FhirServerOptions) => Promise<FhirServer>;
