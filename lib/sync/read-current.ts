/**
 * Which copy of a resource a page shows (DESIGN §1 Offline; issue #5: "expired records are not
 * shown as current"). The cached copy while it is within its data class's retention (the
 * person's own unsent change is a draft and never expires); past retention, the server's copy,
 * read through the proxy. A copy past its retention is not shown at all, even when the server
 * cannot be reached: retention says how long it may stay on the device, and the clean-up before
 * each sync round deletes it (issue 12), so showing it would depend on which ran first.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { Transport } from './ports';
import type { SyncStore } from './sync-store';

/**
 * A copy to show. `oldCopyFrom` (device time it was stored) is never set since copies past their
 * retention are no longer shown (see the module comment); kept so callers that show it still compile.
 */
export interface ShownCopy<T extends Resource> {
  resource: T;
  oldCopyFrom?: number;
}

/** Reads the copy to show of one resource (see the module comment). Never throws for a missing network. */
export async function readCurrent<T extends Resource>(store: SyncStore, transport: Transport, type: string, id: string): Promise<ShownCopy<T> | undefined> {
  const cached = await store.readCached<T>(type, id);
  if (cached && !cached.expired) return { resource: cached.resource };
  try {
    const response = await transport({ method: 'GET', url: `${type}/${encodeURIComponent(id)}` });
    const body = response.body as T | undefined;
    if (response.status === 200 && body?.resourceType === type) return { resource: body };
  } catch {
    // No response: nothing current to show.
  }
  return undefined;
}
