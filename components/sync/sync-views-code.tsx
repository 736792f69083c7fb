'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/**
 * The contact details form and the review of unsent changes as chunks of their own
 * (later-view.tsx). Both show nothing of the person's until the device's copy is read in the
 * browser, so the server's HTML is only their frame and nothing can be typed before they run.
 */
export const LaterContactForm = laterView(laterChunk(() => import('./contact-form')), (m) => m.ContactForm);
export const LaterConflictReview = laterView(laterChunk(() => import('./conflict-review')), (m) => m.ConflictReview);
