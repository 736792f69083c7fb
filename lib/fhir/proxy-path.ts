/**
 * Where the browser reaches a launch's FHIR proxy. The server (first-screen.ts) keys the answers a
 * page comes with by the same URLs the browser's views ask for, so both build them here.
 */

/** The base every proxy URL of the launch starts with. */
export function proxyBase(launchId: string): string {
  return `/api/l/${launchId}/fhir/`;
}

/** The proxy URL of a FHIR path (`Condition?_count=100`, `Patient/pat-001`). */
export function proxyUrl(launchId: string, path: string): string {
  return `${proxyBase(launchId)}${path}`;
}

/** A proxy URL relative to its FHIR base: the device cache's key, the same for every launch of the partition. */
export function pathBelowProxy(url: string): string {
  return url.replace(/^\/api\/l\/[^/]+\/fhir\//, '');
}
