'use client';
import dynamic from 'next/dynamic';
import { trendCode } from './trend-chunk';

/** The trend drawings, drawn once their chunk (trend-chunk.ts) arrived. */
export const Sparkline = dynamic(() => trendCode.load().then((m) => m.Sparkline));
export const TrendChart = dynamic(() => trendCode.load().then((m) => m.TrendChart));
