import { AppLink } from '@/components/ui/app-link';
import { LIST_SECTION_TITLES } from '@/lib/fhir/compose/requests';
import { chartPath } from './chart-paths';

const MORE = ['encounters', 'notes', 'tasks', 'care-plans', 'immunizations', 'procedures'] as const;

/**
 * The rest of the chart, one tap away; its data is fetched only when opened. The views
 * themselves are prefetched by the chart (chart-prefetch-run.ts), so moving between sections
 * works without a connection for the router cache's lifetime (staleTimes.static, an hour).
 */
export function MoreSections({ launchId }: { launchId: string }) {
  return (
    <nav aria-labelledby="more-title" className="rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3 md:col-span-2" data-testid="more-sections">
      <h2 id="more-title" className="text-lg font-semibold">More in the chart</h2>
      <ul className="mt-1 grid grid-cols-1 gap-1 sm:grid-cols-2 md:grid-cols-3">
        <li>
          <AppLink href={chartPath(launchId, 'results')} className="flex min-h-11 items-center rounded px-2 text-[var(--hc-accent,#1d4ed8)] underline-offset-2 hover:bg-gray-50 hover:underline">All laboratory results</AppLink>
        </li>
        {MORE.map((id) => (
          <li key={id}>
            <AppLink href={chartPath(launchId, id)} className="flex min-h-11 items-center rounded px-2 text-[var(--hc-accent,#1d4ed8)] underline-offset-2 hover:bg-gray-50 hover:underline">{LIST_SECTION_TITLES[id]}</AppLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
