'use client';

/**
 * Counts the FHIR requests the page makes and how many sequential waves ("round trips") they
 * form: a request's wave is one more than the highest wave among requests that had finished
 * before it started, so requests that all start together form one wave however long they take,
 * and a request that starts only after another answered (a waterfall) adds a wave. Holds URLs
 * of the proxy only (no data); the chart exposes the numbers as data attributes.
 */
interface Entry {
  start: number;
  end?: number;
}

const entries: Entry[] = [];
const listeners = new Set<() => void>();
let version = 0;

function changed(): void {
  version++;
  for (const l of listeners) l();
}

/** Call when a request starts; call the returned function when it settles. */
export function trackRequest(): () => void {
  const entry: Entry = { start: performance.now() };
  entries.push(entry);
  changed();
  return () => {
    entry.end = performance.now();
    changed();
  };
}

/** A position in the log: stats are taken over requests made after it. */
export function requestMark(): number {
  return entries.length;
}

export interface RequestStats {
  requests: number;
  pending: number;
  roundTrips: number;
}

/** Pure: the stats of a list of request timings. */
export function statsOf(list: readonly Entry[]): RequestStats {
  const waves: number[] = [];
  list.forEach((e, i) => {
    let wave = 1;
    list.forEach((other, j) => {
      if (j !== i && other.end !== undefined && other.end <= e.start && waves[j] !== undefined) wave = Math.max(wave, waves[j]! + 1);
    });
    waves[i] = wave;
  });
  return { requests: list.length, pending: list.filter((e) => e.end === undefined).length, roundTrips: waves.length ? Math.max(...waves) : 0 };
}

export function requestStatsSince(mark: number): RequestStats {
  return statsOf(entries.slice(mark));
}

export function subscribeRequests(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function requestLogVersion(): number {
  return version;
}
