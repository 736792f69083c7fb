'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/** The note editor as a chunk of its own (later-view.tsx); its text box stays disabled until the draft is read, so nothing typed is lost. */
export const LaterNoteEditor = laterView(laterChunk(() => import('./note-editor')), (m) => m.NoteEditor);
