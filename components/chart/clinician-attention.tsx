'use client';
import { useMemo } from 'react';
import type { ResultSeries } from '@/lib/fhir/compose/observations';
import { NeedsAttention } from './needs-attention';
import type { SectionStatus } from './section-card';
import type { FetchState } from './section-data';
import { attentionOf, seriesOf } from './summary-view';

/**
 * The clinician's "Needs attention" card, built from the summary's laboratory and vital-sign
 * answers. Only the clinician's chart shows it, so it comes with the clinician's live summary
 * (clinician-summary.tsx), not with code every portal page downloads.
 */
export function ClinicianAttention({ launchId, labs, vitalSeries, source, lastOpenedAt, status, now }: { launchId: string; labs: FetchState; vitalSeries: ResultSeries[] | undefined; source: string; lastOpenedAt: string | null; status: SectionStatus; now: number }) {
  const labSeries = useMemo(() => seriesOf(labs, source), [labs.data, labs.fetchedAt, source]); // eslint-disable-line react-hooks/exhaustive-deps -- by answer
  const view = useMemo(() => attentionOf(labSeries, vitalSeries, lastOpenedAt), [labSeries, vitalSeries, lastOpenedAt]);
  return <NeedsAttention launchId={launchId} view={view} status={status} now={now} />;
}
