'use client';
import { useCallback, useEffect, useState } from 'react';
import type { SavedNote } from './note-status';
import { launchKey, readSession, removeSession, writeSession } from './session-state';

/** The note last saved to the EHR from this launch's editor, kept in this tab (session-state.ts). */
export function readSavedNote(launchId: string): SavedNote | null {
  try {
    const raw = readSession(launchKey(launchId, 'note-saved'));
    return raw ? (JSON.parse(raw) as SavedNote) : null;
  } catch {
    return null;
  }
}

/** The saved note's pointer: remembered when "Save to EHR" queues it, forgotten for a new note. */
export function useSavedNote(launchId: string) {
  const key = launchKey(launchId, 'note-saved');
  const [sent, setSent] = useState<SavedNote | null>(null);
  useEffect(() => setSent(readSavedNote(launchId)), [launchId]);
  const remember = useCallback((note: SavedNote) => {
    writeSession(key, JSON.stringify(note));
    setSent(note);
  }, [key]);
  const forget = useCallback(() => {
    removeSession(key);
    setSent(null);
  }, [key]);
  return { sent, remember, forget };
}
