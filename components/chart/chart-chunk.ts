'use client';
import { laterChunk } from '@/components/ui/later-chunk';

/**
 * The views of a chart section as one chunk (chart-views.ts, later-chunk.ts): `/chart/{section}`
 * shows a list, the results overview or one result's history, and loads their code after its
 * first (chart-code.tsx). Once loaded, moving between sections needs no network for code; the
 * chart's prefetch loads it too.
 */
export const chartCode = laterChunk(() => import('./chart-views'));
