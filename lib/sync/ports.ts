/**
 * The side effects the sync core is given (STYLE rule 10): a transport to Housecall's FHIR
 * proxy, a clock, randomness. Everything else in lib/sync is a function of its inputs.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One request to the proxy. */
export interface TransportRequest {
  method: HttpMethod;
  /**
   * A path relative to the proxy's FHIR base (`Patient/123`, `Observation?patient=1`), or a
   * paging link the proxy itself returned.
   */
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}

/** The proxy's answer (FHIR JSON or an OperationOutcome). */
export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

/** Sends one request. Rejects only when no response arrived (network down, connection reset). */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Device time source. */
export interface Clock {
  /** Device time in ms, used for backoff and ages only; never for sync cursors. */
  now(): number;
}

/** A number in [0, 1), as Math.random. Injected so backoff jitter is testable. */
export type Random = () => number;
