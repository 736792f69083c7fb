/** Which launch page a URL the offline shell stands in for names; null for anything else. */
export interface ShellTarget {
  launchId: string;
  area: 'portal' | 'chart';
  /** The portal page: '' for the summary, 'contact', 'review', or another page's name. */
  page: string;
}

/** Reads `/l/{launchId}/{portal|chart}[/{page}]` (the launch id's syntax as the server checks it). */
export function shellTarget(pathname: string): ShellTarget | null {
  const m = /^\/l\/([A-Za-z0-9_-]{16,64})\/(portal|chart)(?:\/([a-z-]+))?\/?$/.exec(pathname);
  if (!m) return null;
  return { launchId: m[1]!, area: m[2] as 'portal' | 'chart', page: m[3] ?? '' };
}
