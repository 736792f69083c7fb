'use client';
import dynamic from 'next/dynamic';
import { laterChunk } from './later-chunk';

/** The trend drawings, drawn once the values beside them are on screen (later-chunk.ts). */
export const trendCode = laterChunk(() => import('./trend-views'));

export const Sparkline = dynamic(() => trendCode.load().then((m) => m.Sparkline));
export const TrendChart = dynamic(() => trendCode.load().then((m) => m.TrendChart));
