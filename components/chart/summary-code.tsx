'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/**
 * The summary's code (composing FHIR for people, its cards, "For you now") as chunks of their
 * own (later-view.tsx). The page arrives with the summary drawn by the server from the answers it
 * came with (first-screen.tsx), so it is read before any of this code runs; its links and
 * sign-out work before (e2e/before-scripts.spec.ts).
 */
export const LaterClinicianSummary = laterView(laterChunk(() => import('./clinician-summary')), (m) => m.ClinicianSummary);
export const LaterPortalSummary = laterView(laterChunk(() => import('@/components/portal/portal-summary')), (m) => m.PortalSummary);
