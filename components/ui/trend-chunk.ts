'use client';
import { laterChunk } from './later-chunk';

/** The trend drawings (trend-views.ts), drawn once the values beside them are on screen (later-chunk.ts, trend-code.tsx). */
export const trendCode = laterChunk(() => import('./trend-views'));
