'use client';
import { laterChunk } from '@/components/ui/later-chunk';
import { laterView } from '@/components/ui/later-view';

/**
 * The visit pages' views (appointments, care plans, documents, vaccines) as chunks of their own
 * (later-view.tsx): each page's first load carries the portal's frame, and its view's code comes
 * as the page starts.
 */
export const LaterAppointmentList = laterView(laterChunk(() => import('@/components/appointments/appointment-list')), (m) => m.AppointmentList);
export const LaterCarePlanList = laterView(laterChunk(() => import('./care-plan-list')), (m) => m.CarePlanList);
export const LaterDocumentList = laterView(laterChunk(() => import('./document-list')), (m) => m.DocumentList);
export const LaterDocumentViewer = laterView(laterChunk(() => import('./document-viewer')), (m) => m.DocumentViewer);
export const LaterImmunizationList = laterView(laterChunk(() => import('./immunization-list')), (m) => m.ImmunizationList);
