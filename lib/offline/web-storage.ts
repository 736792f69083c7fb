/**
 * Housecall's footprint outside IndexedDB: Cache Storage entries and localStorage /
 * sessionStorage keys, all named with one prefix so that a wipe can find exactly ours and leave
 * the embedding EHR's alone (inside an iframe the origin is ours, but a portal may share it).
 */
export const WEB_STORAGE_PREFIX = 'housecall';

/** The parts of the Cache Storage API a wipe needs (injected; `globalThis.caches` in a browser). */
export interface CacheStorageLike {
  keys(): Promise<string[]>;
  delete(name: string): Promise<boolean>;
}

/** The parts of the Web Storage API a wipe needs (`localStorage`, `sessionStorage`). */
export interface StorageLike {
  readonly length: number;
  key(index: number): string | null;
  removeItem(key: string): void;
}

/** What to clear. */
export interface WebStorageTargets {
  caches?: CacheStorageLike;
  storages?: readonly StorageLike[];
}

/** How much was cleared. */
export interface WebStorageReport {
  caches: number;
  keys: number;
}

/** Deletes every cache and storage key whose name starts with `prefix`. Returns how many. */
export async function clearHousecallWebStorage(targets: WebStorageTargets, prefix = WEB_STORAGE_PREFIX): Promise<WebStorageReport> {
  let caches = 0;
  let keys = 0;
  if (targets.caches) {
    // A cross-site EHR frame in a browser that blocks third-party storage is refused Cache
    // Storage (SecurityError): nothing of ours can be there, and the rest must still be cleared.
    const names = await targets.caches.keys().catch((e: unknown) => {
      if ((e as Error)?.name === 'SecurityError') return [] as string[];
      throw e;
    });
    for (const name of names) {
      if (name.startsWith(prefix) && (await targets.caches.delete(name))) caches += 1;
    }
  }
  for (const storage of targets.storages ?? []) {
    const ours: string[] = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key !== null && key.startsWith(prefix)) ours.push(key);
    }
    for (const key of ours) storage.removeItem(key);
    keys += ours.length;
  }
  return { caches, keys };
}

/** The browser's own targets, for the app to pass in; undefined members where unavailable. */
export function browserWebStorage(): WebStorageTargets {
  const g = globalThis as { caches?: CacheStorageLike; localStorage?: StorageLike; sessionStorage?: StorageLike };
  const storages: StorageLike[] = [];
  try {
    if (g.localStorage) storages.push(g.localStorage);
    if (g.sessionStorage) storages.push(g.sessionStorage);
  } catch {
    // Access to storage throws in some sandboxed iframes; nothing of ours can be there then.
  }
  return { ...(g.caches ? { caches: g.caches } : {}), storages };
}
