/**
 * The device cache of proxy answers (read-through.ts reads through it) on lib/offline's encrypted
 * record store: one sealed record per request path, with its data class for retention.
 */
import type { RecordStore } from '@/lib/offline';
import { classForResourceType, type DataClass } from '@/lib/offline/retention';
import type { AnswerCache, SavedAnswer } from './read-through';

/** Record type of saved proxy answers in the encrypted store (clear metadata: no PHI). */
export const ANSWER_TYPE = 'housecall:answer';

/** The FHIR resource type a proxy path asks for (`AllergyIntolerance?patient=…` → `AllergyIntolerance`). */
export function pathResourceType(path: string): string {
  return path.split(/[/?]/, 1)[0] ?? '';
}

/** Clinical unless every type in the answer is reference data (Practitioner, Medication, …). */
export function answerClass(path: string, types: readonly string[]): DataClass {
  const all = [pathResourceType(path), ...types];
  return all.every((t) => classForResourceType(t) === 'reference') ? 'reference' : 'clinical';
}

/** The resource types present in a proxy answer (a resource, or a Bundle's entries). */
export function typesIn(body: unknown): string[] {
  const found = new Set<string>();
  const b = body as { resourceType?: unknown; entry?: { resource?: { resourceType?: unknown } }[] } | null;
  if (typeof b?.resourceType === 'string' && b.resourceType !== 'Bundle') found.add(b.resourceType);
  for (const e of Array.isArray(b?.entry) ? b.entry : []) if (typeof e?.resource?.resourceType === 'string') found.add(e.resource.resourceType);
  return [...found];
}

/** The answer cache on lib/offline's encrypted record store. */
export function createAnswerCache(store: RecordStore): AnswerCache {
  return {
    async read<T>(path: string) {
      return (await store.get<SavedAnswer<T>>(ANSWER_TYPE, path))?.value;
    },
    async save(path, body, fetchedAt) {
      const types = typesIn(body);
      await store.write({ put: [{ cls: answerClass(path, types), type: ANSWER_TYPE, id: path, value: { body, fetchedAt, types } satisfies SavedAnswer }] });
    },
    async forget(path) {
      await store.write({ remove: [{ type: ANSWER_TYPE, id: path }] });
    },
    async purgeTypes(types) {
      const wanted = new Set(types);
      const answers = await store.list<SavedAnswer>({ type: ANSWER_TYPE }, { expired: 'mark' });
      const remove = answers
        .filter((r) => wanted.has(pathResourceType(r.id)) || r.value.types.some((t) => wanted.has(t)))
        .map((r) => ({ type: ANSWER_TYPE, id: r.id }));
      for (const type of wanted) {
        // Server copies only: a local copy carrying an unsent change (a draft) is the person's work.
        const rows = await store.list({ type }, { expired: 'mark' });
        for (const r of rows) if (r.cls === 'clinical' || r.cls === 'reference') remove.push({ type, id: r.id });
      }
      if (remove.length) await store.write({ remove });
      return remove.length;
    },
  };
}
