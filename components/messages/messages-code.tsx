'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/** The message pages' views as chunks of their own (later-view.tsx); writing a message keeps its form in the first load. */
export const LaterThreadList = laterView(laterChunk(() => import('./thread-list')), (m) => m.ThreadList);
export const LaterThreadView = laterView(laterChunk(() => import('./thread-view')), (m) => m.ThreadView);
