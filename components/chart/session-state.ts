'use client';

/**
 * Per-launch state kept in this tab's sessionStorage so an interrupted clinician finds it
 * again after a reload or app switch: scroll positions (no clinical data) and the note draft.
 * Inside an EHR frame storage may be partitioned or refused; every access degrades to
 * "nothing kept" instead of failing.
 */
const PREFIX = 'housecall:';

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function launchKey(launchId: string, name: string): string {
  return `${PREFIX}${launchId}:${name}`;
}

export function readSession(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** False when the browser refused to keep it. */
export function writeSession(key: string, value: string): boolean {
  try {
    const s = storage();
    if (!s) return false;
    s.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function removeSession(key: string): void {
  try {
    storage()?.removeItem(key);
  } catch {
    // nothing kept, nothing to remove
  }
}

/** Forgets everything kept for a launch (sign-out). */
export function clearLaunchSession(launchId: string): void {
  const s = storage();
  if (!s) return;
  try {
    const prefix = `${PREFIX}${launchId}:`;
    for (const key of Object.keys(s)) if (key.startsWith(prefix)) s.removeItem(key);
  } catch {
    // storage refused: nothing was kept
  }
}
