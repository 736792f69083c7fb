'use client';
import { ConsentHiddenNotice } from './chart-code';
import { ChartSummary, type ChartSummaryProps } from './chart-summary';
import { ClinicianAttention } from './clinician-attention';
import { MoreSections } from './more-sections';

const PARTS = { Attention: ClinicianAttention, HiddenNotice: ConsentHiddenNotice, More: MoreSections };

/**
 * The clinician's summary: the summary the portal shares, with what only the clinician sees
 * (what needs attention, the consent notice with break-glass, the other sections). A module of
 * its own so that the portal's pages never download those parts.
 */
export function ClinicianSummary(props: Omit<ChartSummaryProps, 'audience' | 'parts'>) {
  return <ChartSummary {...props} audience="clinician" parts={PARTS} />;
}
