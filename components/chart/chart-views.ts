'use client';
/**
 * The chart's views that come after its first code (chart-code.tsx loads them as one chunk): the
 * three views of a section, and what only the clinician's summary shows.
 */
export { ResultDetail } from './result-detail';
export { ResultsOverview } from './results-overview';
export { SectionDetail } from './section-detail';
export { ClinicianAttention } from './clinician-attention';
export { MoreSections } from './more-sections';
export { ConsentHiddenNotice } from '@/components/consent/consent-hidden-notice';
