'use client';
import dynamic from 'next/dynamic';
import { chartCode } from './chart-chunk';

/** A chart section's views, drawn once their chunk (chart-chunk.ts) arrived. */
export const ResultDetail = dynamic(() => chartCode.load().then((m) => m.ResultDetail));
export const ResultsOverview = dynamic(() => chartCode.load().then((m) => m.ResultsOverview));
export const SectionDetail = dynamic(() => chartCode.load().then((m) => m.SectionDetail));
