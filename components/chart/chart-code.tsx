'use client';
import { laterView } from '@/components/ui/later-view';
import { consentNoticeCode, resultDetailCode, resultsOverviewCode, sectionDetailCode } from './chart-chunk';

/** A chart section's views, each drawn once its chunk (chart-chunk.ts) arrived (later-view.tsx). */
export const ResultDetail = laterView(resultDetailCode, (m) => m.ResultDetail);
export const ResultsOverview = laterView(resultsOverviewCode, (m) => m.ResultsOverview);
export const SectionDetail = laterView(sectionDetailCode, (m) => m.SectionDetail);
export const ConsentHiddenNotice = laterView(consentNoticeCode, (m) => m.ConsentHiddenNotice, { quiet: true });
