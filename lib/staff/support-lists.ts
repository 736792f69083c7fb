import 'server-only';
import type { SupportStore } from '../store';

const HOUR = 60 * 60_000;

/** Launches that failed in the last hour (their error pages), grouped by reason, most frequent first. */
export async function failedLaunchesByReason(support: SupportStore, now: number): Promise<{ code: string; count: number; issuers: string[]; references: string[] }[]> {
  const errors = await support.errorsSince(now - HOUR);
  const groups = new Map<string, { code: string; count: number; issuers: Set<string>; references: string[] }>();
  for (const e of errors) {
    const g = groups.get(e.code) ?? { code: e.code, count: 0, issuers: new Set<string>(), references: [] };
    g.count++;
    if (e.issuerId) g.issuers.add(e.issuerId);
    if (g.references.length < 10) g.references.push(e.reference);
    groups.set(e.code, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).map((g) => ({ ...g, issuers: [...g.issuers].sort() }));
}

/** Issuers whose refreshes were refused in the last hour, with the launches that ended so. */
export async function refusedRefreshesByIssuer(support: SupportStore, now: number): Promise<{ issuerId: string; count: number; launchIds: string[] }[]> {
  const ended = await support.endedWith(['refresh-failed'], now - HOUR);
  const groups = new Map<string, { issuerId: string; count: number; launchIds: string[] }>();
  for (const l of ended) {
    const g = groups.get(l.issuerId) ?? { issuerId: l.issuerId, count: 0, launchIds: [] };
    g.count++;
    if (g.launchIds.length < 20) g.launchIds.push(l.id);
    groups.set(l.issuerId, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
