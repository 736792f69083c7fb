'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/**
 * The results pages' views (composing results, explaining them) as chunks of their own
 * (later-view.tsx). Loaded as a document, each page arrives with its answers (first-screen.tsx),
 * so the views ask the EHR for nothing once their code is in.
 */
export const LaterPortalResults = laterView(laterChunk(() => import('./portal-results')), (m) => m.PortalResults);
export const LaterPortalResultDetail = laterView(laterChunk(() => import('./portal-result-detail')), (m) => m.PortalResultDetail);
