import type { Bundle, Resource } from '@medplum/fhirtypes';
import { arr, obj, str } from './guards';

type Entry = NonNullable<Bundle['entry']>[number];

/** Resources of one type from a search Bundle (`match` entries unless asked for includes). */
export function resourcesOf<T extends Resource>(bundle: Bundle | undefined, type: T['resourceType'], mode: 'match' | 'include' | 'any' = 'match'): T[] {
  return arr<Entry>(obj(bundle)?.entry)
    .filter((e) => {
      const r = obj(obj(e)?.resource);
      const entryMode = str(obj(obj(e)?.search)?.mode) ?? 'match';
      return r?.resourceType === type && (mode === 'any' || entryMode === mode);
    })
    .map((e) => e.resource as T);
}
