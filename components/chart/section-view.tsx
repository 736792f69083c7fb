'use client';
import type { ListSectionId } from '@/lib/fhir/compose/requests';
// `/chart/{section}` shows one of three views, which come with the chart's later code (chart-code.tsx).
import { ResultDetail, ResultsOverview, SectionDetail } from './chart-code';

export type SectionViewProps =
  | { view: 'result'; launchId: string; kind: 'results' | 'vitals'; code: string; source: string; showInactive: boolean; nameTypes: readonly string[] }
  | { view: 'results'; launchId: string; kind: 'results' | 'vitals'; source: string }
  | { view: 'list'; launchId: string; section: ListSectionId; source: string; showInactive: boolean; author: string | null; nameTypes: readonly string[] };

/** The view of one chart section. */
export function SectionView(props: SectionViewProps) {
  if (props.view === 'result') {
    const { view: _, ...rest } = props;
    return <ResultDetail {...rest} />;
  }
  if (props.view === 'results') {
    const { view: _, ...rest } = props;
    return <ResultsOverview {...rest} />;
  }
  const { view: _, ...rest } = props;
  return <SectionDetail {...rest} />;
}
