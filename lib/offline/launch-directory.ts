/**
 * The launch directory: which partition a launch's pages use, so that the offline shell (served
 * by the service worker when there is no network, and so with no server to ask) can find the
 * device's copy for the launch in its URL.
 *
 * Only hashes are kept in the clear: `housecall-launch:{launchId}` → partition id (the same
 * 128-bit hash that names the database). The owner (issuer, user, patient) sits inside the
 * partition, encrypted like any other record (`OWNER_RECORD`). The keys share Housecall's web
 * storage prefix, so a sign-out or a wipe removes them with everything else.
 */
import { WEB_STORAGE_PREFIX } from './web-storage';

/** Where the partition's owner is kept inside the partition (an operational record). */
export const OWNER_RECORD = { type: 'housecall:owner', id: 'owner' } as const;

/** The parts of Web Storage the directory needs. */
export interface DirectoryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const LAUNCH_ID = /^[A-Za-z0-9_-]{16,64}$/;
const PARTITION = /^[0-9a-f]{32}$/;

function keyOf(launchId: string): string {
  return `${WEB_STORAGE_PREFIX}-launch:${launchId}`;
}

/** Records the launch's partition. False when storage is refused (a cross-site frame) or the input is malformed. */
export function rememberLaunch(storage: DirectoryStorage | undefined, launchId: string, partition: string): boolean {
  if (!storage || !LAUNCH_ID.test(launchId) || !PARTITION.test(partition)) return false;
  try {
    storage.setItem(keyOf(launchId), partition);
    return true;
  } catch {
    return false;
  }
}

/** The partition recorded for a launch, if any and well-formed. */
export function partitionOfLaunch(storage: DirectoryStorage | undefined, launchId: string): string | undefined {
  if (!storage || !LAUNCH_ID.test(launchId)) return undefined;
  try {
    const value = storage.getItem(keyOf(launchId));
    return value !== null && PARTITION.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `localStorage` where the page may use it; undefined where access throws (storage refused). */
export function browserDirectoryStorage(): DirectoryStorage | undefined {
  try {
    const s = (globalThis as { localStorage?: DirectoryStorage }).localStorage;
    return s ?? undefined;
  } catch {
    return undefined;
  }
}
