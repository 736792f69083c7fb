/** Path of one test's results in the portal (a module of its own: every results page links with it, and needs nothing else of lib/portal). */
export function portalResultPath(launchId: string, seriesKey: string): string {
  return `/l/${launchId}/portal/results/test?code=${encodeURIComponent(seriesKey)}`;
}
