/** The proxy URL relative to its FHIR base: the device cache's key, the same for every launch of this partition. */
export function cachePath(url: string): string {
  return url.replace(/^\/api\/l\/[^/]+\/fhir\//, '');
}
