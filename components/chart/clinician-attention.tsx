'use client';
import { useMemo } from 'react';
import type { Bundle } from '@medplum/fhirtypes';
import { toNeedsAttention } from '@/lib/fhir/compose/needs-attention';
import { toResultSeries, type ResultSeries } from '@/lib/fhir/compose/observations';
import { NeedsAttention } from './needs-attention';
import type { SectionStatus } from './section-card';

type Answer = { data?: Bundle | undefined; fetchedAt?: string | undefined };

/**
 * The clinician's "Needs attention" card, built from the summary's laboratory and vital-sign
 * answers. Only the clinician's chart shows it, so it is a chunk of its own (chart-summary.tsx
 * loads it), not code every portal page downloads.
 */
export function ClinicianAttention({ launchId, labs, vitals, vitalSeries, source, lastOpenedAt, status, now }: { launchId: string; labs: Answer; vitals: Answer; vitalSeries: ResultSeries[] | undefined; source: string; lastOpenedAt: string | null; status: SectionStatus; now: number }) {
  const labSeries = useMemo(() => (labs.data ? toResultSeries(labs.data, { source, fetchedAt: labs.fetchedAt! }) : undefined), [labs.data, labs.fetchedAt, source]);
  const view = useMemo(() => (labSeries || vitals.data ? toNeedsAttention([...(labSeries ?? []), ...(vitalSeries ?? [])] as ResultSeries[], lastOpenedAt) : undefined), [labSeries, vitals.data, vitalSeries, lastOpenedAt]);
  return <NeedsAttention launchId={launchId} view={view} status={status} now={now} />;
}
