'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/**
 * Sharing and restricting by name as chunks of their own (later-view.tsx): the people to choose
 * from are read in the browser, so nothing can be chosen before the code runs.
 */
export const LaterRestrictForm = laterView(laterChunk(() => import('./restrict-form')), (m) => m.RestrictForm);
export const LaterShareForm = laterView(laterChunk(() => import('./share-form')), (m) => m.ShareForm);
