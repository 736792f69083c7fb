'use client';
import { laterChunk, lazyView } from '@/components/ui/later-chunk';

/** The message editor (its pickers, attachment checks and draft), as a chunk of its own (later-chunk.ts). */
export const composeCode = laterChunk(() => import('./compose-form'));

export const ComposeForm = lazyView(composeCode, (m) => m.ComposeForm);
