'use client';
import { lazyView } from './later-chunk';
import { trendCode } from './trend-chunk';

/** The trend drawings, drawn once their chunk (trend-chunk.ts) arrived: after the values beside them are on screen. */
export const Sparkline = lazyView(trendCode, (m) => m.Sparkline);
export const TrendChart = lazyView(trendCode, (m) => m.TrendChart);
