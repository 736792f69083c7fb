'use client';
import { laterChunk } from '@/components/ui/later-chunk';

/**
 * The three views a chart section may show, each a chunk of its own (later-chunk.ts):
 * `/chart/{section}` shows a list, the results overview or one result's history, and loads only
 * that view's code after its first (chart-code.tsx).
 */
export const sectionDetailCode = laterChunk(() => import('./section-detail'));
export const resultsOverviewCode = laterChunk(() => import('./results-overview'));
export const resultDetailCode = laterChunk(() => import('./result-detail'));
/** The notice that consent withheld entries (with break-glass): drawn only when it did, so not in the chart's first load. */
export const consentNoticeCode = laterChunk(() => import('@/components/consent/consent-hidden-notice'));

/**
 * All of them, for the chart's prefetch: once loaded, moving between sections needs no network
 * for code.
 */
export function loadChartViews(): Promise<unknown> {
  return Promise.all([sectionDetailCode.load(), resultsOverviewCode.load(), resultDetailCode.load(), consentNoticeCode.load()]);
}
