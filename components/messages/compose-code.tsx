'use client';
import dynamic from 'next/dynamic';
import { laterChunk } from '@/components/ui/later-chunk';

/** The message editor (its pickers, attachment checks and draft), as a chunk of its own (later-chunk.ts). */
export const composeCode = laterChunk(() => import('./compose-form'));

export const ComposeForm = dynamic(() => composeCode.load().then((m) => m.ComposeForm));
