'use client';
/**
 * The chart's views that come after its first code (chart-chunk.ts loads them as one chunk): the
 * three views a section may show.
 */
export { ResultDetail } from './result-detail';
export { ResultsOverview } from './results-overview';
export { SectionDetail } from './section-detail';
