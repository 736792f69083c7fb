'use client';
import { ConsentHiddenNotice } from './chart-code';
import { ClinicianAttention } from './clinician-attention';
import { MoreSections } from './more-sections';
import { LiveSummary as Summary, type LiveSummaryProps } from './summary-live';

const PARTS = { Attention: ClinicianAttention, HiddenNotice: ConsentHiddenNotice, More: MoreSections };

/**
 * The clinician's live summary: the summary the portal shares, with what only the clinician sees
 * (what needs attention, the consent notice with break-glass, the other sections). A chunk of
 * its own (chart-summary.tsx) so that the portal's pages never download those parts.
 */
export function LiveSummary(props: Omit<LiveSummaryProps, 'audience' | 'parts'>) {
  return <Summary {...props} audience="clinician" parts={PARTS} />;
}
