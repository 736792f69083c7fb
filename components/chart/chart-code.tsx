'use client';
import dynamic from 'next/dynamic';
import { laterChunk } from '@/components/ui/later-chunk';

/**
 * The chart's later views as one chunk (chart-views.ts, later-chunk.ts): a section's view, and
 * what only the clinician's summary shows (the portal, which shares the summary, never loads it).
 * Once loaded, moving between sections needs no network for code; the chart's prefetch loads it too.
 */
export const chartCode = laterChunk(() => import('./chart-views'));

export const ResultDetail = dynamic(() => chartCode.load().then((m) => m.ResultDetail));
export const ResultsOverview = dynamic(() => chartCode.load().then((m) => m.ResultsOverview));
export const SectionDetail = dynamic(() => chartCode.load().then((m) => m.SectionDetail));
export const ClinicianAttention = dynamic(() => chartCode.load().then((m) => m.ClinicianAttention));
export const MoreSections = dynamic(() => chartCode.load().then((m) => m.MoreSections));
export const ConsentHiddenNotice = dynamic(() => chartCode.load().then((m) => m.ConsentHiddenNotice));
