/**
 * Which copy of a resource a page shows (DESIGN §1 Offline; issue #5: "expired records are not
 * shown as current"). The cached copy while it is within its data class's retention (the
 * person's own unsent change is a draft and never expires); past retention, the server's copy,
 * read through the proxy; and only when the server cannot give one (offline, throttled, down),
 * the expired copy, marked with the time it was stored so the page can say it is an old copy.
 */
import type { Resource } from '@medplum/fhirtypes';
import type { Transport } from './ports';
import type { SyncStore } from './sync-store';

/** A copy to show; `oldCopyFrom` (device time it was stored) when it is past retention and could not be checked. */
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
    // No response: fall back to the old copy below.
  }
  return cached ? { resource: cached.resource, oldCopyFrom: cached.storedAt } : undefined;
}
