'use client';
import dynamic from 'next/dynamic';
import { consentNoticeCode, resultDetailCode, resultsOverviewCode, sectionDetailCode } from './chart-chunk';

/** A chart section's views, each drawn once its chunk (chart-chunk.ts) arrived. */
export const ResultDetail = dynamic(() => resultDetailCode.load().then((m) => m.ResultDetail));
export const ResultsOverview = dynamic(() => resultsOverviewCode.load().then((m) => m.ResultsOverview));
export const SectionDetail = dynamic(() => sectionDetailCode.load().then((m) => m.SectionDetail));
export const ConsentHiddenNotice = dynamic(() => consentNoticeCode.load().then((m) => m.ConsentHiddenNotice));
