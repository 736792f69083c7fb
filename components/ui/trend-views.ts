'use client';
/** The trend drawings (sparkline, trend chart): a chunk of their own, loaded by trend-code.ts. */
export { Sparkline } from './sparkline';
export { TrendChart } from './trend-chart';
