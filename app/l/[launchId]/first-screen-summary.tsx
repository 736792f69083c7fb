import 'server-only';
import { SummaryBody, type SummaryBodyProps } from '@/components/chart/summary-body';
import { answeredState, composeSummary, type SummaryAnswers, type SummaryView } from '@/components/chart/summary-view';
import type { ChartSummaryProps } from '@/components/chart/chart-summary';
import type { ServerAnswers } from '@/lib/fhir/first-screen';
import { patientRequest, SUMMARY_REQUESTS } from '@/lib/fhir/compose/requests';
import { proxyUrl } from '@/lib/fhir/proxy-path';

/** What only the clinician's first screen draws (first-screen-clinician.tsx), so the portal's pages never load it. */
export type ClinicianFirstScreen = (d: SummaryAnswers, view: SummaryView) => Pick<SummaryBodyProps, 'hiddenNotice' | 'attention' | 'more'>;

/**
 * The summary's first screen composed and drawn on the server from the answers the page came
 * with (first-screen.tsx), for chart-summary.tsx to show as it came: the browser downloads no
 * composition code for it. Only when every answer is in: otherwise the browser's live view
 * draws the summary, meeting each missing answer's outcome as it always did.
 */
export function firstScreenSummary(answers: ServerAnswers, p: { launchId: string; patientId: string; source: string; showBanner: boolean; audience: 'clinician' | 'patient' }, clinician?: ClinicianFirstScreen): ChartSummaryProps['firstScreen'] {
  const paths = { patient: patientRequest(p.patientId), ...SUMMARY_REQUESTS };
  const keys = Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, proxyUrl(p.launchId, path)])) as Record<keyof SummaryAnswers, string>;
  if (Object.values(keys).some((key) => !answers[key])) return undefined;
  const d = Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, answeredState(answers[key]!)])) as unknown as SummaryAnswers;
  const view = composeSummary(d, p.source, Date.now());
  const parts = p.audience === 'clinician' && clinician ? clinician(d, view) : {};
  return { body: <SummaryBody launchId={p.launchId} view={view} audience={p.audience} showBanner={p.showBanner} {...parts} />, keys: Object.values(keys) };
}
