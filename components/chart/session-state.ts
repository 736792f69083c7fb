'use client';

/**
 * Per-launch state kept for an interrupted clinician: scroll positions (no clinical data) and
 * the note draft, in this tab's sessionStorage. Inside an EHR's cross-site frame the browser
 * may refuse all storage (Chromium with third-party cookies blocked does): then values live in
 * memory for as long as the page does, and `persistent()` says so, so the UI can tell the
 * clinician instead of pretending a draft is safe.
 */
const PREFIX = 'housecall:';
const memory = new Map<string, string>();
/** Launches signed out in this document: nothing more is written for them (unload handlers). */
const cleared = new Set<string>();

function isCleared(key: string): boolean {
  for (const prefix of cleared) if (key.startsWith(prefix)) return true;
  return false;
}

function storage(): Storage | undefined {
  try {
    if (typeof window === 'undefined') return undefined;
    const s = window.sessionStorage;
    s.getItem(PREFIX); // throws when storage is refused
    return s;
  } catch {
    return undefined;
  }
}

/** True when values survive a reload (sessionStorage is usable here). */
export function persistent(): boolean {
  return storage() !== undefined;
}

export function launchKey(launchId: string, name: string): string {
  return `${PREFIX}${launchId}:${name}`;
}

export function readSession(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

/** Where the value was kept: `session` survives a reload, `memory` only this page. */
export function writeSession(key: string, value: string): 'session' | 'memory' {
  if (isCleared(key)) return 'memory';
  try {
    const s = storage();
    if (s) {
      s.setItem(key, value);
      return 'session';
    }
  } catch {
    // quota or refusal: keep it in memory below
  }
  memory.set(key, value);
  return 'memory';
}

export function removeSession(key: string): void {
  memory.delete(key);
  try {
    storage()?.removeItem(key);
  } catch {
    // nothing kept, nothing to remove
  }
}

/** Forgets everything kept for a launch (sign-out). */
export function clearLaunchSession(launchId: string): void {
  const prefix = `${PREFIX}${launchId}:`;
  cleared.add(prefix);
  for (const key of [...memory.keys()]) if (key.startsWith(prefix)) memory.delete(key);
  const s = storage();
  if (!s) return;
  try {
    for (const key of Object.keys(s)) if (key.startsWith(prefix)) s.removeItem(key);
  } catch {
    // storage refused: nothing was kept there
  }
}
