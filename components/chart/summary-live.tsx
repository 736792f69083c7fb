'use client';
import { useEffect, useMemo } from 'react';
import { useChartSummary } from '@/components/fhir/use-chart-summary';
import { useNow } from '@/components/ui/use-now';
import type { ConsentHiddenNotice } from '@/components/consent/consent-hidden-notice';
import type { ClinicianAttention } from './clinician-attention';
import type { MoreSections } from './more-sections';
import { SummaryBody } from './summary-body';
import { composeSummary, seriesOf } from './summary-view';

/** What only the clinician's summary shows, handed in by clinician-summary.tsx so the portal's summary never loads it. */
export interface ClinicianParts {
  Attention: typeof ClinicianAttention;
  HiddenNotice: React.ComponentType<React.ComponentProps<typeof ConsentHiddenNotice>>;
  More: typeof MoreSections;
}

export interface LiveSummaryProps {
  launchId: string;
  patientId: string;
  source: string;
  showBanner: boolean;
  audience: 'clinician' | 'patient';
  lastOpenedAt: string | null;
  /** Whether every answer is in and the patient's details were read (the chart then counts as seen). */
  onSettled(ok: boolean): void;
  /** The view is mounted: its answers' revalidations now reach it. */
  onMounted(): void;
  parts?: ClinicianParts;
}

/**
 * The summary composed in the browser from the views' answers (useChartSummary: one wave of
 * requests, or the answers the page came with), redrawn as they change and as time passes.
 * chart-summary.tsx loads it as a chunk of its own.
 */
export function LiveSummary({ launchId, patientId, source, showBanner, audience, lastOpenedAt, onSettled, onMounted, parts }: LiveSummaryProps) {
  const now = useNow();
  const d = useChartSummary(launchId, patientId);
  const vitals = useMemo(() => seriesOf(d.vitals, source), [d.vitals.data, d.vitals.fetchedAt, source]); // eslint-disable-line react-hooks/exhaustive-deps -- by answer
  const view = composeSummary(d, source, now, vitals);
  const ok = view.settled && !view.patientOutcome;
  useEffect(() => onSettled(ok), [ok, onSettled]);
  useEffect(() => onMounted(), [onMounted]);
  if (view.ended) {
    return (
      <main className="p-3 md:col-span-2" data-testid="session-ended" role="alert">
        <h1 className="text-xl font-semibold">Your session ended</h1>
        <p className="mt-3">Relaunch Housecall from your EHR or portal. Nothing you were looking at was changed.</p>
      </main>
    );
  }
  const clinician = audience === 'clinician' && parts;
  return (
    <SummaryBody
      launchId={launchId}
      view={view}
      audience={audience}
      showBanner={showBanner}
      now={now}
      {...(clinician ? { hiddenNotice: (why: string[]) => <parts.HiddenNotice launchId={launchId} why={why} /> } : {})}
      attention={clinician ? <parts.Attention launchId={launchId} labs={d.labs} vitalSeries={vitals} source={source} lastOpenedAt={lastOpenedAt} status={view.results} now={now} /> : null}
      more={clinician ? <parts.More launchId={launchId} /> : null}
    />
  );
}
