import type { Bundle } from '@medplum/fhirtypes';
import { answerGap, mergeLists } from '@/lib/fhir/compose/items';
import type { ComposeContext, ListItemView, ListOptions } from '@/lib/fhir/compose/items';
import type { NameDirectory } from '@/lib/fhir/compose/people';
import type { SectionStatus } from './section-card';

/** What a useFhir call returns, as far as a section needs it. */
export interface FetchState<T = Bundle> {
  data?: T | undefined;
  fetchedAt?: string | undefined;
  isLoading: boolean;
  outcome?: string | undefined;
  /** The EHR could not be reached: this is the device's saved copy. */
  fromCache?: boolean | undefined;
  /** Fetched by Housecall's server for the page: `fetchedAt` is on its clock. */
  serverClock?: boolean | undefined;
}

export interface SectionPart {
  label?: string;
  state: FetchState;
  build: (bundle: Bundle | undefined, ctx: ComposeContext, opts?: ListOptions) => ListItemView[];
}

/** Loading while any part loads; each failed part named; freshness of the least fresh part; whether any answer is less than the whole list. */
export function sectionStatus(parts: { label?: string; state: FetchState<unknown> }[]): SectionStatus {
  const fetched = parts.map((p) => p.state.fetchedAt).filter((t): t is string => !!t).sort();
  const gaps = parts.map((p) => answerGap(p.state.data));
  const partial = gaps.includes('withheld') ? 'withheld' : gaps.includes('more') ? 'more' : undefined;
  return {
    ...(partial ? { partial } : {}),
    isLoading: parts.some((p) => p.state.isLoading),
    outcomes: parts.flatMap((p) => (p.state.outcome ? [{ ...(parts.length > 1 && p.label ? { label: p.label } : {}), outcome: p.state.outcome }] : [])),
    ...(fetched[0] ? { fetchedAt: fetched[0] } : {}),
    offline: parts.some((p) => p.state.fromCache && p.state.data !== undefined),
    ...(parts.some((p) => p.state.serverClock) ? { serverClock: true } : {}),
  };
}

/** Items from every part that answered, each with its own fetch time; undefined until one has. */
export function sectionItems(parts: SectionPart[], source: string, opts: ListOptions = {}, names?: NameDirectory): ListItemView[] | undefined {
  const answered = parts.filter((p) => p.state.data && p.state.fetchedAt);
  if (!answered.length) return undefined;
  return mergeLists(answered.map((p) => p.build(p.state.data, { source, fetchedAt: p.state.fetchedAt!, ...(names ? { names } : {}) }, opts)));
}
