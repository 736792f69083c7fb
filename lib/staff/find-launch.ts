import 'server-only';
import type { ErrorReference, LaunchKey, SupportStore } from '../store';
import { pseudonym, pseudonymKindOf } from './pseudonym';

/** How far back a pseudonymous lookup looks. */
export const PSEUDONYM_LOOKBACK_MS = 30 * 24 * 60 * 60_000;

export type LaunchQuery =
  | { kind: 'launch-id'; value: string }
  | { kind: 'error-reference'; value: string }
  | { kind: 'user'; value: string }
  | { kind: 'patient'; value: string };

/**
 * What support typed: an error page's reference (8 hex digits), a pseudonymous user or patient
 * reference (`u-…`, `p-…`), or a launch id. Anything else is refused, so a name or an MRN typed
 * into the box is never searched for (nor logged).
 */
export function parseLaunchQuery(input: string): LaunchQuery | undefined {
  const q = input.trim();
  if (/^[0-9a-f]{8}$/i.test(q)) return { kind: 'error-reference', value: q.toLowerCase() };
  const kind = pseudonymKindOf(q.toLowerCase());
  if (kind) return { kind, value: q.toLowerCase() };
  if (/^[A-Za-z0-9_-]{16,64}$/.test(q)) return { kind: 'launch-id', value: q };
  return undefined;
}

export interface LaunchSearchResult {
  query: LaunchQuery;
  /** For an error reference: what the page said, when, where. */
  reference?: ErrorReference;
  launches: LaunchKey[];
}

/** The launches a query finds, newest first. */
export async function findLaunches(query: LaunchQuery, deps: { support: SupportStore; key: Buffer; now: number }): Promise<LaunchSearchResult> {
  switch (query.kind) {
    case 'launch-id': {
      const all = await deps.support.launchesById([query.value]);
      return { query, launches: all };
    }
    case 'error-reference': {
      const reference = await deps.support.findErrorReference(query.value);
      if (!reference) return { query, launches: [] };
      // The launch the error concerned, else every launch of the browser it happened in.
      const launches = reference.launchId
        ? await deps.support.launchesById([reference.launchId])
        : reference.browserSessionId ? await deps.support.launchesOfBrowserSession(reference.browserSessionId) : [];
      return { query, reference, launches };
    }
    case 'user':
    case 'patient': {
      const recent = await deps.support.launchesSince(deps.now - PSEUDONYM_LOOKBACK_MS);
      const launches = recent.filter((l) => {
        const id = query.kind === 'user' ? l.fhirUser : l.patientId;
        return id !== null && pseudonym(query.kind, l.issuerId, id, deps.key) === query.value;
      });
      return { query, launches };
    }
  }
}
