/**
 * How fault knobs fire, shared by the authorization server, the FHIR server and discovery:
 * the client and resource-type filters, counting down, the stats tests read at
 * `GET /_knobs/stats`, and the small HTTP helpers faults answer with.
 */
import type { ServerResponse } from 'node:http';
import type { FaultFilter, FaultListener } from './contracts';

/** What a request is, as far as fault filters care. */
export interface FaultSubject {
  clientId?: string | undefined;
  resourceType?: string | undefined;
  /** The HTTP method (FHIR server only). */
  method?: string | undefined;
}

type Filterable = FaultFilter & { resourceTypes?: string[]; methods?: string[] };
type FaultSlots<K extends string> = { [P in K]: Filterable | null };

/** Whether the knob `name` is on and its filters accept `subject` (uses up nothing). */
export function faultApplies<K extends string>(knobs: FaultSlots<K>, name: K, subject: FaultSubject): boolean {
  const knob = knobs[name];
  if (!knob) return false;
  if (knob.clients && !(subject.clientId && knob.clients.includes(subject.clientId))) return false;
  if (knob.resourceTypes && !(subject.resourceType && knob.resourceTypes.includes(subject.resourceType))) return false;
  if (knob.methods && !(subject.method && knob.methods.includes(subject.method))) return false;
  return true;
}

/**
 * If the knob `name` applies to `subject`, fires it once: counts it down (turning the knob off
 * at 0), tells `onFault`, and returns the knob's settings as they were. Otherwise undefined.
 */
export function takeFault<T extends FaultSlots<K>, K extends string>(
  knobs: T,
  name: K,
  subject: FaultSubject,
  onFault?: FaultListener,
): NonNullable<T[K]> | undefined {
  if (!faultApplies(knobs, name, subject)) return undefined;
  const slots: FaultSlots<K> = knobs;
  const knob = slots[name]!;
  const fired = { ...knob } as NonNullable<T[K]>;
  if (knob.count !== undefined) {
    if (knob.count <= 1) slots[name] = null;
    else knob.count -= 1;
  }
  onFault?.(name);
  return fired;
}

/** Counters tests assert on; `DELETE /_knobs` zeroes them. */
export interface SandboxStats {
  /** Requests that reached the token endpoint, by `grant_type` (`none` when absent). */
  tokenRequests: Record<string, number>;
  /** The same, per client id (`unknown` when the client could not be told). */
  tokenRequestsByClient: Record<string, Record<string, number>>;
  /** Refresh tokens exchanged for a new one (rotation). */
  refreshTokenRotations: number;
  /** Refresh tokens presented again after they had been rotated; 0 for a well-behaved client. */
  rotatedRefreshTokenReuse: number;
  /** Times each fault knob fired. */
  faults: Record<string, number>;
}

export function createStats(): SandboxStats {
  return { tokenRequests: {}, tokenRequestsByClient: {}, refreshTokenRotations: 0, rotatedRefreshTokenReuse: 0, faults: {} };
}

/** Zeroes every counter, in place (the other parts hold the same object). */
export function resetStats(stats: SandboxStats): SandboxStats {
  return Object.assign(stats, createStats());
}

/** A listener that counts fired faults into `stats.faults`. */
export function faultCounter(stats: SandboxStats): FaultListener {
  return (knob) => {
    stats.faults[knob] = (stats.faults[knob] ?? 0) + 1;
  };
}

/** Waits `ms`, or less if the client hangs up first; resolves true when the client is still there. */
export function pause(ms: number | undefined, res: ServerResponse): Promise<boolean> {
  if (!ms || ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve(!res.destroyed && !res.writableEnded);
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

/** A fault's raw answer: JSON content type when the body parses as JSON, plain text otherwise. */
export function sendRaw(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string | undefined,
  headers: Record<string, string> = {},
): void {
  let type = contentType;
  if (!type) {
    try {
      JSON.parse(body);
      type = 'application/json; charset=utf-8';
    } catch {
      type = 'text/plain; charset=utf-8';
    }
  }
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}
