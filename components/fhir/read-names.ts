import { nameOfResource } from '@/lib/fhir/compose/people';

/**
 * One wave of reads that names the people and places a view references without a display:
 * every `Type/id` not in the cache is read at once (in parallel, through the launch's proxy, so
 * the launch's scopes apply), and each answer is kept for a short time. A read that fails (no
 * scope, not found, offline) names no one: the view then says "a clinician, name not available".
 * Side effects come in as parameters so the wave is testable without a browser.
 */

export interface NameCache {
  get(key: string): { at: number; name: string | null } | undefined;
  set(key: string, value: { at: number; name: string | null }): void;
}

export interface ReadNamesDeps {
  /** Reads `Type/id` through the proxy; resolves to the resource, or rejects. */
  read: (key: string) => Promise<unknown>;
  cache: NameCache;
  now: () => number;
}

/** Names are kept five minutes; a failed read is retried after thirty seconds. */
export const NAME_TTL_MS = 5 * 60_000;
export const FAILED_NAME_TTL_MS = 30_000;

export async function readNames(keys: string[], deps: ReadNamesDeps): Promise<Map<string, string | null>> {
  const now = deps.now();
  const out = new Map<string, string | null>();
  const missing: string[] = [];
  for (const key of new Set(keys)) {
    const hit = deps.cache.get(key);
    if (hit && now - hit.at < (hit.name === null ? FAILED_NAME_TTL_MS : NAME_TTL_MS)) out.set(key, hit.name);
    else missing.push(key);
  }
  const answers = await Promise.all(
    missing.map(async (key) => {
      try {
        const body = await deps.read(key);
        const [type, id] = key.split('/');
        const r = body as { resourceType?: unknown; id?: unknown };
        return r?.resourceType === type && r?.id === id ? (nameOfResource(body) ?? null) : null;
      } catch {
        return null;
      }
    }),
  );
  missing.forEach((key, i) => {
    const name = answers[i] ?? null;
    deps.cache.set(key, { at: deps.now(), name });
    out.set(key, name);
  });
  return out;
}
