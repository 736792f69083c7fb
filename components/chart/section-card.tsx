'use client';
import type { ListItemView } from '@/lib/fhir';
import { relativeAge, SourceLine } from '@/components/ui/freshness';

const OUTCOME_TEXT: Record<string, string> = {
  'scope-not-granted': 'Not shared with Housecall for this launch.',
  'launch-ended': 'Your session ended. Relaunch Housecall from your EHR.',
  'not-authenticated': 'This window is no longer signed in. Relaunch Housecall.',
  'upstream-timeout': 'The EHR did not answer in time.',
  network: 'No connection to Housecall.',
};

const FLAG_STYLE: Record<string, string> = {
  critical: 'bg-red-100 text-red-800',
  high: 'bg-amber-100 text-amber-900',
  low: 'bg-sky-100 text-sky-900',
  abnormal: 'bg-amber-100 text-amber-900',
};

/** One chart section: its freshness, its items with their sources, or why it has none. */
export function SectionCard(props: {
  id: string;
  title: string;
  items: ListItemView[] | undefined;
  isLoading: boolean;
  outcome?: string;
  fetchedAt?: string;
  empty: string;
  now: number;
}) {
  const { id, title, items, isLoading, outcome, fetchedAt, empty, now } = props;
  return (
    <section aria-labelledby={`${id}-title`} data-testid={`section-${id}`} className="rounded-xl border border-gray-200 bg-white p-4">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
          {items && !outcome ? <span className="ml-2 text-sm font-normal text-gray-600">({items.length})</span> : null}
        </h2>
        {fetchedAt ? <span className="text-xs text-gray-600" data-testid="fetched-at">Checked {relativeAge(fetchedAt, now)}</span> : null}
      </div>
      {isLoading ? <p className="mt-2 text-gray-600" role="status">Loading…</p> : null}
      {outcome ? (
        <p className="mt-2 rounded-lg bg-gray-100 p-3 text-gray-800" data-testid="section-outcome" data-outcome={outcome}>
          {OUTCOME_TEXT[outcome] ?? 'This section could not be loaded. The rest of the chart is still current.'}
        </p>
      ) : null}
      {items && !outcome ? (
        items.length === 0 ? (
          <p className="mt-2 text-gray-600">{empty}</p>
        ) : (
          <ul className="mt-2 divide-y divide-gray-100">
            {items.map((item) => (
              <li key={item.key} className="py-2" data-testid="section-item">
                <div className="flex items-start justify-between gap-2">
                  <span className="font-medium">{item.title}</span>
                  {item.flag ? <span className={`rounded px-2 py-0.5 text-xs font-semibold ${FLAG_STYLE[item.flag]}`}>{item.flag}</span> : null}
                </div>
                {item.detail ? <div className="text-sm text-gray-700">{item.detail}</div> : null}
                <SourceLine p={item.provenance} now={now} />
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
