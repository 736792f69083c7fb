'use client';
/** The trend drawings (sparkline, trend chart): a chunk of their own, loaded by trend-chunk.ts. */
export { Sparkline } from './sparkline';
export { TrendChart } from './trend-chart';
