import 'server-only';
import { ConsentHiddenNotice } from '@/components/chart/chart-code';
import { MoreSections } from '@/components/chart/more-sections';
import { NeedsAttention } from '@/components/chart/needs-attention';
import { attentionOf, seriesOf } from '@/components/chart/summary-view';
import type { ClinicianFirstScreen } from '../first-screen-summary';

/** What the clinician's first screen adds, composed on the server like the rest (first-screen-summary.tsx). */
export function clinicianFirstScreen(launchId: string, source: string, lastOpenedAt: string | null): ClinicianFirstScreen {
  return (d, view) => ({
    hiddenNotice: (why) => <ConsentHiddenNotice launchId={launchId} why={why} />,
    attention: <NeedsAttention launchId={launchId} view={attentionOf(seriesOf(d.labs, source), view.vitals.series, lastOpenedAt)} status={view.results} />,
    more: <MoreSections launchId={launchId} />,
  });
}
