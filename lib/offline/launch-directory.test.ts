import { describe, expect, it } from 'vitest';
import { clearHousecallWebStorage } from './web-storage';
import { partitionOfLaunch, rememberLaunch, type DirectoryStorage } from './launch-directory';

const launchId = 'AbCdEfGhIjKlMnOpQrSt_-12';
const partition = '0123456789abcdef0123456789abcdef';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe('launch directory', () => {
  it('finds the partition of a remembered launch, and only that', () => {
    const storage = memoryStorage();
    expect(rememberLaunch(storage, launchId, partition)).toBe(true);
    expect(partitionOfLaunch(storage, launchId)).toBe(partition);
    expect(partitionOfLaunch(storage, 'ZZZZZZZZZZZZZZZZZZZZ')).toBeUndefined();
  });

  it('keeps only hashes in the clear, under Housecall’s prefix, so a wipe removes them', async () => {
    const storage = memoryStorage();
    rememberLaunch(storage, launchId, partition);
    expect([...storage.data.entries()]).toEqual([[`housecall-launch:${launchId}`, partition]]);
    await clearHousecallWebStorage({ storages: [storage] });
    expect(partitionOfLaunch(storage, launchId)).toBeUndefined();
  });

  it('refuses malformed launch ids and partitions, and anything tampered with in storage', () => {
    const storage = memoryStorage();
    expect(rememberLaunch(storage, '../x', partition)).toBe(false);
    expect(rememberLaunch(storage, launchId, 'Patient/pat-001')).toBe(false);
    expect(storage.data.size).toBe(0);
    storage.setItem(`housecall-launch:${launchId}`, 'Patient/pat-001');
    expect(partitionOfLaunch(storage, launchId)).toBeUndefined();
  });

  it('is harmless where storage is refused (a cross-site frame)', () => {
    const refusing: DirectoryStorage = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(rememberLaunch(refusing, launchId, partition)).toBe(false);
    expect(partitionOfLaunch(refusing, launchId)).toBeUndefined();
    expect(rememberLaunch(undefined, launchId, partition)).toBe(false);
  });
});
