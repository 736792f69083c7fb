'use client';
import dynamic from 'next/dynamic';
import type { ListSectionId } from '@/lib/fhir/compose/requests';

// `/chart/{section}` shows one of three views; each is a chunk of its own, so a section loads
// only the code of the view it shows (a list, the results overview, or one result's history).
const ResultDetail = dynamic(() => import('./result-detail').then((m) => m.ResultDetail));
const ResultsOverview = dynamic(() => import('./results-overview').then((m) => m.ResultsOverview));
const SectionDetail = dynamic(() => import('./section-detail').then((m) => m.SectionDetail));

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
