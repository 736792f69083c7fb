import { describe, expect, it } from 'vitest';
import { clearHousecallWebStorage, type WebStorageTargets } from './web-storage';

function memoryStorage(entries: Record<string, string>) {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

describe('clearHousecallWebStorage (issue 10: sign-out inside an EHR frame)', () => {
  it('still clears what it can reach when the frame is refused Cache Storage, as a storage-blocking browser does', async () => {
    const storage = memoryStorage({ 'housecall-launch:abc': 'p', other: 'x' });
    const denied = Object.assign(new Error('An attempt was made to break through the security policy of the user agent.'), { name: 'SecurityError' });
    const targets = { caches: { keys: () => Promise.reject(denied), delete: async () => false }, storages: [storage] } as unknown as WebStorageTargets;
    await expect(clearHousecallWebStorage(targets)).resolves.toEqual({ caches: 0, keys: 1 });
    expect([...storage.map.keys()]).toEqual(['other']);
  });

  it('still fails on any other Cache Storage error, so the page does not claim an erase it could not do', async () => {
    const targets = { caches: { keys: () => Promise.reject(new TypeError('boom')), delete: async () => false }, storages: [] } as unknown as WebStorageTargets;
    await expect(clearHousecallWebStorage(targets)).rejects.toThrow('boom');
  });
});
