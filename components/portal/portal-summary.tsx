'use client';
import type { AttentionItem } from '@/lib/portal/attention';
import { ChartSummary } from '@/components/chart/chart-summary';
import { PortalAttention } from './portal-home';

export interface PortalSummaryProps {
  launchId: string;
  patientId: string;
  source: string;
  serverItems: AttentionItem[];
}

/** The top of the patient's home: what needs them now, then their summary (a chunk of its own, summary-code.tsx). */
export function PortalSummary({ launchId, patientId, source, serverItems }: PortalSummaryProps) {
  return (
    <>
      <div className="px-3 pt-3">
        <PortalAttention launchId={launchId} serverItems={serverItems} />
      </div>
      <ChartSummary launchId={launchId} patientId={patientId} source={source} showBanner audience="patient" />
    </>
  );
}
